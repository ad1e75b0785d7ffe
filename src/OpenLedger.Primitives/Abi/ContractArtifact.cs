using System.Text.Json;

namespace OpenLedger.Primitives.Abi;

/// <summary>A forge (or Hardhat-style) build artifact: the ABI and the creation bytecode.</summary>
public sealed class ContractArtifact
{
    public ContractAbi Abi { get; }
    /// <summary>Creation bytecode; empty for interfaces and abstract contracts.</summary>
    public byte[] Bytecode { get; }
    public byte[] DeployedBytecode { get; }

    public ContractArtifact(ContractAbi abi, byte[] bytecode, byte[] deployedBytecode)
    {
        Abi = abi;
        Bytecode = bytecode;
        DeployedBytecode = deployedBytecode;
    }

    public static ContractArtifact Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads "abi" and "bytecode.object" (or a plain "bytecode" string). Unlinked library placeholders are rejected.</summary>
    public static ContractArtifact Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("abi", out var abi))
                throw new AbiException("artifact has no \"abi\" member");
            return new ContractArtifact(ContractAbi.FromJson(abi), Code(root, "bytecode"), Code(root, "deployedBytecode"));
        }
        catch (JsonException e) { throw new AbiException("artifact is not valid JSON: " + e.Message, e); }
    }

    private static byte[] Code(JsonElement root, string member)
    {
        if (!root.TryGetProperty(member, out var b)) return [];
        if (b.ValueKind == JsonValueKind.Object && b.TryGetProperty("object", out var o)) b = o;
        if (b.ValueKind != JsonValueKind.String) throw new AbiException($"artifact \"{member}\" is not a hex string");
        var text = b.GetString()!;
        if (text.Contains("__")) throw new AbiException($"artifact \"{member}\" has unlinked library placeholders");
        try { return Hex.Decode(text); }
        catch (FormatException e) { throw new AbiException($"artifact \"{member}\": {e.Message}", e); }
    }
}
