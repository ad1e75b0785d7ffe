namespace OpenLedger.Datanets.Content;

/// <summary>What a Datanet holds, as DatanetRegistry.Kind numbers it.</summary>
public enum ContentKind
{
    Text = 0,
    Image = 1,
    Audio = 2,
}
