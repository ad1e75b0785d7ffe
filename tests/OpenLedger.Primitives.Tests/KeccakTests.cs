using System.Text;
using OpenLedger.Primitives;
using Org.BouncyCastle.Crypto.Digests;

namespace OpenLedger.Primitives.Tests;

public class KeccakTests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    // The ERC-20 Transfer event topic.
    [InlineData("Transfer(address,address,uint256)", "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")]
    public void Known_answers(string text, string expected)
    {
        var input = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Keccak256.Compute(input).ToString());
        Span<byte> out32 = stackalloc byte[32];
        Keccak256.Hash(input, out32);
        Assert.Equal(expected, Hex.Encode(out32));
    }

    [Fact]
    public void Empty_hash_constant()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak256.EmptyHash.ToString());
    }

    [Fact]
    public void Matches_BouncyCastle_at_every_length_around_the_rate()
    {
        var rnd = new Random(42);
        var data = new byte[3 * Keccak256.RateBytes + 7];
        rnd.NextBytes(data);
        var expected = new byte[32];
        for (int len = 0; len <= data.Length; len++)
        {
            var input = data.AsSpan(0, len);
            var bc = new KeccakDigest(256);
            bc.BlockUpdate(input);
            bc.DoFinal(expected, 0);
            Assert.Equal(Hex.Encode(expected), Keccak256.Compute(input).ToString());
        }
    }

    [Fact]
    public void Incremental_hasher_matches_one_shot_for_any_chunking()
    {
        var rnd = new Random(7);
        var hasher = new Keccak256Hasher();
        for (int trial = 0; trial < 200; trial++)
        {
            var data = new byte[rnd.Next(0, 700)];
            rnd.NextBytes(data);
            int pos = 0;
            while (pos < data.Length)
            {
                int take = Math.Min(data.Length - pos, rnd.Next(0, 150));
                hasher.Update(data.AsSpan(pos, take));
                pos += take;
            }
            // Finish resets, so the same instance serves every trial.
            Assert.Equal(Keccak256.Compute(data), hasher.Finish());
        }
    }

    [Fact]
    public void Reset_discards_pending_input()
    {
        var hasher = new Keccak256Hasher();
        hasher.Update("garbage"u8);
        hasher.Reset();
        hasher.Update("abc"u8);
        Span<byte> out32 = stackalloc byte[32];
        hasher.Finish(out32);
        Assert.Equal(Keccak256.Compute("abc"u8).ToArray(), out32.ToArray());
    }

    [Fact]
    public void Rejects_short_output()
    {
        Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));
        Assert.Throws<ArgumentException>(() => new Keccak256Hasher().Finish(new byte[16]));
    }

    [Fact]
    public void One_shot_does_not_allocate()
    {
        var input = new byte[1024];
        var output = new byte[32];
        for (int i = 0; i < 200; i++) Keccak256.Hash(input, output); // warm up (JIT tiers, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Keccak256.Hash(input, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
