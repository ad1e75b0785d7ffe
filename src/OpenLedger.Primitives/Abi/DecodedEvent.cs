namespace OpenLedger.Primitives.Abi;

/// <summary>A decoded log: the event and the value of each input, in declaration order.</summary>
public sealed class DecodedEvent
{
    public AbiEvent Event { get; }
    public IReadOnlyList<object?> Values { get; }

    public DecodedEvent(AbiEvent ev, IReadOnlyList<object?> values)
    {
        Event = ev;
        Values = values;
    }

    public string Name => Event.Name;

    /// <summary>The value of the input called <paramref name="name"/>.</summary>
    public object? this[string name]
    {
        get
        {
            for (var i = 0; i < Event.Inputs.Count; i++)
                if (Event.Inputs[i].Name == name) return Values[i];
            throw new KeyNotFoundException($"event {Event.Signature} has no input named \"{name}\"");
        }
    }

    public object? this[int index] => Values[index];

    public override string ToString() => Event.Name + "(" + string.Join(", ", Values.Select(AbiFormat.Value)) + ")";
}
