using OpenLedger.Evm;
using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>A contract call to time: the accounts it needs (code and storage) and the call itself.</summary>
public sealed record EvmWorkload(
    string Name,
    string Description,
    IReadOnlyList<(Address Address, byte[] Code, IReadOnlyDictionary<UInt256, UInt256> Storage)> Accounts,
    Address Target,
    byte[] Input,
    ulong GasLimit)
{
    /// <summary>The figure it must reach or beat: anvil's speed on the same call in the same run.</summary>
    public const double TargetRatio = 1.0;
}

/// <summary>
/// The workloads of `openledger bench evm`: each is one call that loops inside the EVM, so the same call can be timed
/// here and through another node's eth_call. Four are hand-assembled loops over one kind of work (arithmetic, keccak,
/// fresh-slot SSTORE, ERC-20 transfers through CALL); five run compiled Solidity (Solidity/*.sol, code in
/// SolidityBenchCode.cs): a ray tracer, ERC-20 transfer / mint / approve+transferFrom loops and a hashing loop.
/// </summary>
public static class EvmWorkloads
{
    public static readonly Address LoopContract = Address.Parse("0x000000000000000000000000000000000000100b");
    public static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000070ce");
    public static readonly Address Driver = Address.Parse("0x000000000000000000000000000000000000d71e");

    private static string Push3(int n) => "62" + n.ToString("x6");

    private static readonly IReadOnlyDictionary<UInt256, UInt256> NoStorage = new Dictionary<UInt256, UInt256>();

    /// <summary>The workloads, with loop counts scaled by <paramref name="scale"/> (1 = about 100 Mgas each).</summary>
    public static IReadOnlyList<EvmWorkload> All(double scale = 1.0)
    {
        int n(int x) => Math.Clamp((int)(x * scale), 1, 0xffffff);
        return
        [
            Loop("arithmetic", "acc = acc*3+7; acc ^= acc>>5 (MUL ADD SHR XOR SUB JUMPI), 58 gas per iteration",
                // PUSH1 1, PUSH3 n, JUMPDEST, SWAP1, PUSH1 3 MUL, PUSH1 7 ADD, DUP1 PUSH1 5 SHR XOR, SWAP1, PUSH1 1 SWAP1 SUB, DUP1 PUSH1 6 JUMPI
                "6001" + Push3(n(2_000_000)) + "5b" + "90" + "600302" + "600701" + "8060051c18" + "90" + "60019003" + "80600657" + "00"),
            Loop("keccak", "keccak256 of 64 bytes of memory, fed back into memory",
                Push3(n(1_000_000)) + "5b" + "6040600020" + "600052" + "60019003" + "80600457" + "00"),
            Loop("storage", "SSTORE to a new slot per iteration (cold, zero to non-zero)",
                Push3(n(5_000)) + "5b" + "808055" + "60019003" + "80600457" + "00"),
            Erc20(n(3_000)),
            Solidity("sol-raytracer", "Solidity ray tracer, 3 spheres + floor, shadows, 16.16 fixed point (render 48x32)",
                RayTracer, SolidityBenchCode.BenchRayTracer, "render(uint256,uint256)", (ulong)n(48), 32),
            Solidity("sol-erc20-transfer", "Solidity ERC-20: transfers to fresh holders (internal calls)",
                TokenContract, SolidityBenchCode.BenchToken, "benchTransfer(uint256)", (ulong)n(3_000)),
            Solidity("sol-erc20-mint", "Solidity ERC-20: mints to fresh holders",
                TokenContract, SolidityBenchCode.BenchToken, "benchMint(uint256)", (ulong)n(3_000)),
            Solidity("sol-erc20-approve", "Solidity ERC-20: approve + transferFrom through an external self-call",
                TokenContract, SolidityBenchCode.BenchToken, "benchApproveTransfer(uint256)", (ulong)n(1_500)),
            Solidity("sol-hashes", "Solidity: h = keccak256(abi.encodePacked(h, i)), 1,000 per external call",
                HashContract, SolidityBenchCode.BenchHashes, "run(uint256)", (ulong)n(200)),
        ];
    }

    public static readonly Address RayTracer = Address.Parse("0x000000000000000000000000000000000000ba70");
    public static readonly Address TokenContract = Address.Parse("0x00000000000000000000000000000000000070c2");
    public static readonly Address HashContract = Address.Parse("0x000000000000000000000000000000000000a5e5");

    /// <summary>A call to compiled Solidity: selector of <paramref name="signature"/> and uint256 arguments.</summary>
    private static EvmWorkload Solidity(string name, string description, Address at, string runtimeHex, string signature, params ulong[] args)
    {
        var input = new byte[4 + 32 * args.Length];
        Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(signature)).Bytes[..4].CopyTo(input);
        for (int i = 0; i < args.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(4 + 32 * i + 24), args[i]);
        return new EvmWorkload(name, description, [(at, Hex.Decode(runtimeHex), NoStorage)], at, input, 1_000_000_000);
    }

    private static EvmWorkload Loop(string name, string description, string code) =>
        new(name, description, [(LoopContract, Hex.Decode(code), NoStorage)], LoopContract, [], 1_000_000_000);

    /// <summary>A minimal ERC-20 transfer (balances at keccak(holder . 0), Transfer event) called in a loop by a driver contract.</summary>
    private static EvmWorkload Erc20(int transfers)
    {
        const string token =
            "3360005260406000208054602435808210606057808203835560043580600052604060002080548301905582600052337f" +
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60206000a3600160005260206000f35b60006000fd";
        // Loop i = n..1: mem[4..36) = i (recipient), mem[36..68) = 1 (amount), CALL token with 0x44 bytes, POP.
        string driver = Push3(transfers) + "5b" + "80600452" + "6001602452" + "60206000604460006000" + "61" + "70ce" + "5af1" + "50" + "60019003" + "80600457" + "00";
        Span<byte> preimage = stackalloc byte[64];
        preimage.Clear();
        Driver.Bytes.CopyTo(preimage[12..]);
        var slot = Word.FromHash(Keccak256.Compute(preimage));
        var storage = new Dictionary<UInt256, UInt256> { [slot] = new UInt256(1UL << 62) };
        return new EvmWorkload("erc20", $"{transfers} ERC-20 transfers to fresh recipients (CALL, 2 SSTORE, LOG3 each)",
            [(Token, Hex.Decode(token), storage), (Driver, Hex.Decode(driver), NoStorage)], Driver, [], 1_000_000_000);
    }
}
