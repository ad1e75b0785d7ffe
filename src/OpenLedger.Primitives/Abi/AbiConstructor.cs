namespace OpenLedger.Primitives.Abi;

/// <summary>The constructor: its arguments are ABI-encoded and appended to the creation bytecode.</summary>
public sealed class AbiConstructor
{
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public string StateMutability { get; }

    public AbiConstructor(IReadOnlyList<AbiParameter> inputs, string stateMutability = "nonpayable")
    {
        Inputs = inputs;
        StateMutability = stateMutability;
    }

    public byte[] EncodeDeploy(ReadOnlySpan<byte> bytecode, params object?[] args)
    {
        if (args.Length != Inputs.Count) throw new AbiException($"constructor takes {Inputs.Count} arguments, got {args.Length}");
        var body = AbiEncoder.Encode(Inputs.Select(p => p.Type).ToArray(), args);
        return [.. bytecode, .. body];
    }
}
