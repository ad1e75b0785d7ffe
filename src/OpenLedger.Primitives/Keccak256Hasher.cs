namespace OpenLedger.Primitives;

/// <summary>
/// Incremental Keccak-256 for input that arrives in pieces. Finish returns the digest and resets the
/// hasher, so one instance can hash many messages in turn. Not thread-safe.
/// </summary>
public sealed class Keccak256Hasher
{
    private readonly ulong[] _state = new ulong[KeccakF1600.Lanes];
    private readonly byte[] _buffer = new byte[Keccak256.RateBytes];
    private int _buffered;

    public void Update(ReadOnlySpan<byte> data)
    {
        if (_buffered > 0)
        {
            int take = Math.Min(Keccak256.RateBytes - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            if (_buffered < Keccak256.RateBytes) return;
            KeccakF1600.Absorb(_state, _buffer, Keccak256.RateLanes);
            KeccakF1600.Permute(_state);
            _buffered = 0;
        }
        while (data.Length >= Keccak256.RateBytes)
        {
            KeccakF1600.Absorb(_state, data, Keccak256.RateLanes);
            KeccakF1600.Permute(_state);
            data = data[Keccak256.RateBytes..];
        }
        data.CopyTo(_buffer);
        _buffered = data.Length;
    }

    /// <summary>Writes the digest of everything passed to Update since the last reset, then resets.</summary>
    public void Finish(Span<byte> output32)
    {
        if (output32.Length < Keccak256.HashLength)
            throw new ArgumentException($"output holds {output32.Length} bytes, Keccak-256 writes {Keccak256.HashLength}", nameof(output32));
        var block = _buffer.AsSpan();
        block[_buffered..].Clear();
        block[_buffered] ^= 0x01;
        block[^1] ^= 0x80;
        KeccakF1600.Absorb(_state, block, Keccak256.RateLanes);
        KeccakF1600.Permute(_state);
        Keccak256.Squeeze(_state, output32);
        Reset();
    }

    public Hash256 Finish()
    {
        Span<byte> output = stackalloc byte[Keccak256.HashLength];
        Finish(output);
        return new Hash256(output);
    }

    public void Reset()
    {
        Array.Clear(_state);
        _buffered = 0;
    }
}
