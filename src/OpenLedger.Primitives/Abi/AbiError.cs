namespace OpenLedger.Primitives.Abi;

/// <summary>A custom error: <c>error Name(args)</c>, encoded like a call.</summary>
public sealed class AbiError : AbiMember
{
    public byte[] Selector { get; }

    public AbiError(string name, IReadOnlyList<AbiParameter> inputs) : base(name, inputs) => Selector = SelectorOf(Signature);

    public static AbiError FromSignature(string signature)
    {
        var (name, types) = AbiFunction.SplitSignature(signature);
        return new AbiError(name, types.Select(t => new AbiParameter("", t)).ToArray());
    }

    public bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(Selector);

    public byte[] Encode(params object?[] args)
    {
        var body = AbiEncoder.Encode(InputTypes, args);
        return [.. Selector, .. body];
    }

    public object?[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData)) throw new AbiDecodingException($"revert data does not start with the selector of {Signature}");
        return AbiDecoder.Decode(InputTypes, revertData[4..]);
    }
}
