using System.Text;

namespace OpenLedger.Primitives.Abi;

/// <summary>What functions, events and errors share: a name, inputs and the canonical signature "name(type,...)".</summary>
public abstract class AbiMember
{
    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public IReadOnlyList<AbiType> InputTypes { get; }
    public string Signature { get; }

    protected AbiMember(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        InputTypes = inputs.Select(p => p.Type).ToArray();
        Signature = name + "(" + string.Join(",", InputTypes.Select(t => t.CanonicalName)) + ")";
    }

    internal static byte[] SelectorOf(string signature) => Keccak256.Compute(Encoding.UTF8.GetBytes(signature)).Bytes[..4].ToArray();

    public override string ToString() => Signature;
}
