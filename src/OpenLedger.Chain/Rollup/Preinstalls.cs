using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// OP Stack's preinstalls (specs/protocol/preinstalls.md): third-party contracts at their usual addresses from genesis,
/// so dApp tooling finds them (forge's CREATE2 deployer, viem's multicall, Permit2, Safe, ERC-4337). Their bytecode is
/// never in our sources: it is read at setup from the pinned npm package @eth-optimism/contracts-bedrock
/// (<c>src/libraries/Preinstalls.sol</c>) and each must hash to the runtime code hash pinned here. Multicall3
/// (0xd5c15df6…), the deterministic deployment proxy (0x2fa86add…) and EntryPoint v0.6 (0xc93c806e…) are the hashes
/// of their Ethereum mainnet deployments; the rest are those of contracts-bedrock 0.17.3, the same code OP chains run.
/// Permit2's is the hash of the template before the chain id and domain separator are written into it.
/// </summary>
public static class Preinstalls
{
    public sealed record Preinstall(string Name, Address Address, Hash256 CodeHash);

    public static readonly Address Permit2 = Address.Parse("0x000000000022D473030F116dDEE9F6B43aC78BA3");

    /// <summary>Name in Preinstalls.sol (its <c>NameCode</c> constant), address, pinned keccak256 of the runtime code.</summary>
    public static IReadOnlyList<Preinstall> All { get; } =
    [
        new("MultiCall3", Address.Parse("0xcA11bde05977b3631167028862bE2a173976CA11"), Hash256.Parse("0xd5c15df687b16f2ff992fc8d767b4216323184a2bbc6ee2f9c398c318e770891")),
        new("Create2Deployer", Address.Parse("0x13b0D85CcB8bf860b6b79AF3029fCA081AE9beF2"), Hash256.Parse("0xb0550b5b431e30d38000efb7107aaa0ade03d48a7198a140edda9d27134468b2")),
        new("Safe_v130", Address.Parse("0x69f4D1788e39c87893C980c06EdF4b7f686e2938"), Hash256.Parse("0xbba688fbdb21ad2bb58bc320638b43d94e7d100f6f3ebaab0a4e4de6304b1c2e")),
        new("SafeL2_v130", Address.Parse("0xfb1bffC9d739B8D520DaF37dF666da4C687191EA"), Hash256.Parse("0x21842597390c4c6e3c1239e434a682b054bd9548eee5e9b1d6a4482731023c0f")),
        new("MultiSendCallOnly_v130", Address.Parse("0xA1dabEF33b3B82c7814B6D82A79e50F4AC44102B"), Hash256.Parse("0xa9865ac2d9c7a1591619b188c4d88167b50df6cc0c5327fcbd1c8c75f7c066ad")),
        new("SafeSingletonFactory", Address.Parse("0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7"), Hash256.Parse("0x2fa86add0aed31f33a762c9d88e807c475bd51d0f52bd0955754b2608f7e4989")),
        new("DeterministicDeploymentProxy", Address.Parse("0x4e59b44847b379578588920cA78FbF26c0B4956C"), Hash256.Parse("0x2fa86add0aed31f33a762c9d88e807c475bd51d0f52bd0955754b2608f7e4989")),
        new("MultiSend_v130", Address.Parse("0x998739BFdAAdde7C933B942a68053933098f9EDa"), Hash256.Parse("0x81db0e4afdf5178583537b58c5ad403bd47a4ac7f9bde2442ef3e341d433126a")),
        new("Permit2Template", Permit2, Hash256.Parse("0xc67d1657868aa5146eaf24fb879fb1fdec3d2d493b3683a61c9c2f4fb2851131")),
        new("SenderCreator", Address.Parse("0x7fc98430eAEdbb6070B35B39D798725049088348"), Hash256.Parse("0xae818091eaaf1b6175ee41472359a689f3823d0908a41e2e5c4ad508f2fc04a3")),
        new("EntryPoint", Address.Parse("0x5FF137D4b0FDCD49DcA30c7CF57E578a026d2789"), Hash256.Parse("0xc93c806e738300b5357ecdc2e971d6438d34d8e4e17b99b758b1f9cac91c8e70")),
    ];

    /// <summary>
    /// Adds the preinstalls to a genesis: <paramref name="codeByName"/> holds each one's runtime code as read from the
    /// package (Permit2 as its template, with the byte offsets of its chain id and domain separator words). Each code
    /// is checked against its pinned hash first; a mismatch names the contract and stops.
    /// </summary>
    public static GenesisSpec WithPreinstalls(GenesisSpec genesis, IReadOnlyDictionary<string, byte[]> codeByName, int permit2ChainIdOffset, int permit2DomainSeparatorOffset)
    {
        var alloc = new Dictionary<Address, GenesisAccount>(genesis.Alloc);
        foreach (var p in All)
        {
            if (!codeByName.TryGetValue(p.Name, out var code)) throw new GenesisException($"preinstall {p.Name} ({p.Address}) is missing from the package");
            var hash = Keccak256.Compute(code);
            if (hash != p.CodeHash) throw new GenesisException($"preinstall {p.Name} code hashes to {hash}, not the published {p.CodeHash}: wrong or altered package");
            if (p.Address == Permit2) code = Permit2Code(code, genesis.Config.ChainId, permit2ChainIdOffset, permit2DomainSeparatorOffset);
            if (alloc.ContainsKey(p.Address)) throw new GenesisException($"genesis.alloc already holds an account at preinstall address {p.Address}");
            // Nonce 1, as a deployed contract has (EIP-161).
            alloc[p.Address] = new GenesisAccount(UInt256.Zero, 1, code, new Dictionary<UInt256, UInt256>());
        }
        return genesis with { Alloc = alloc };
    }

    /// <summary>Permit2's immutables for this chain: its id and its EIP-712 domain separator (name "Permit2", chainId, verifyingContract).</summary>
    public static byte[] Permit2Code(byte[] template, ulong chainId, int chainIdOffset, int domainSeparatorOffset)
    {
        if (chainIdOffset < 0 || domainSeparatorOffset < 0 || chainIdOffset + 32 > template.Length || domainSeparatorOffset + 32 > template.Length)
            throw new GenesisException("Permit2 template offsets fall outside its code");
        var code = (byte[])template.Clone();
        new UInt256(chainId).ToBigEndian().CopyTo(code.AsSpan(chainIdOffset));
        Permit2DomainSeparator(chainId).Bytes.CopyTo(code.AsSpan(domainSeparatorOffset));
        return code;
    }

    public static Hash256 Permit2DomainSeparator(ulong chainId)
    {
        var enc = new byte[128];
        Keccak256.Compute("EIP712Domain(string name,uint256 chainId,address verifyingContract)"u8).Bytes.CopyTo(enc.AsSpan(0));
        Keccak256.Compute("Permit2"u8).Bytes.CopyTo(enc.AsSpan(32));
        new UInt256(chainId).ToBigEndian().CopyTo(enc.AsSpan(64));
        Permit2.Bytes.CopyTo(enc.AsSpan(96 + 12));
        return Keccak256.Compute(enc);
    }
}
