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
    ulong GasLimit);

/// <summary>
/// Hand-assembled workloads for `openledger bench evm`: each is one call that loops inside the EVM,
/// so the same call can be timed here and through another node's eth_call.
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
        ];
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
