namespace OpenLedger.Primitives.Abi;

/// <summary>A contract function: selector, call encoding and output decoding.</summary>
public sealed class AbiFunction : AbiMember
{
    public IReadOnlyList<AbiParameter> Outputs { get; }
    public IReadOnlyList<AbiType> OutputTypes { get; }
    /// <summary>"pure", "view", "nonpayable" or "payable".</summary>
    public string StateMutability { get; }
    public bool IsReadOnly => StateMutability is "view" or "pure";
    /// <summary>First 4 bytes of keccak256(signature).</summary>
    public byte[] Selector { get; }

    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability = "nonpayable")
        : base(name, inputs)
    {
        Outputs = outputs;
        OutputTypes = outputs.Select(p => p.Type).ToArray();
        StateMutability = stateMutability;
        Selector = SelectorOf(Signature);
    }

    /// <summary>Builds a function from a human-readable signature such as "transfer(address,uint256)" (no outputs).</summary>
    public static AbiFunction FromSignature(string signature, string? outputs = null)
    {
        var (name, types) = SplitSignature(signature);
        var outs = outputs is null ? Array.Empty<AbiParameter>() : AbiType.Parse(outputs).Components.Select(t => new AbiParameter("", t)).ToArray();
        return new AbiFunction(name, types.Select(t => new AbiParameter("", t)).ToArray(), outs);
    }

    internal static (string Name, IReadOnlyList<AbiType> Types) SplitSignature(string signature)
    {
        var open = signature.IndexOf('(');
        if (open <= 0) throw new AbiException($"signature \"{signature}\" lacks a name followed by '('");
        var tuple = AbiType.Parse(signature[open..].Replace(" ", ""));
        if (tuple.Kind != AbiKind.Tuple) throw new AbiException($"signature \"{signature}\" has array suffixes after its parameter list");
        return (signature[..open].Trim(), tuple.Components);
    }

    /// <summary>Selector followed by the encoded arguments: the calldata of a call.</summary>
    public byte[] EncodeCall(params object?[] args)
    {
        if (args.Length != Inputs.Count) throw new AbiException($"{Signature} takes {Inputs.Count} arguments, got {args.Length}");
        var body = AbiEncoder.Encode(InputTypes, args);
        var data = new byte[4 + body.Length];
        Selector.CopyTo(data, 0);
        body.CopyTo(data, 4);
        return data;
    }

    /// <summary>Decodes calldata: checks the selector, then decodes the arguments.</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector))
            throw new AbiDecodingException($"calldata does not start with the selector of {Signature}");
        return AbiDecoder.Decode(InputTypes, calldata[4..]);
    }

    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode(OutputTypes, returnData);
}
