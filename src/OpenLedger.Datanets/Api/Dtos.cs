namespace OpenLedger.Datanets.Api;

/// <summary>One page of a list; pass <c>NextCursor</c> as <c>cursor</c> for the next page (null: no more).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record DatanetDto(long Id, string Owner, string Kind, string Name, string MetadataUri, string License, string Fee,
    long MaxFileBytes, long Contributions, long Approved, long Versions, long CreatedBlock);

public sealed record DatanetDetailDto(DatanetDto Datanet, IReadOnlyList<string> Curators);

public sealed record ContributionDto(long Id, long DatanetId, string Contributor, string ContentHash, long Size, string MetadataUri,
    string FeePaid, string Status, long BlockNumber, string TxHash, string? MediaType, bool ContentAvailable);

public sealed record VersionDto(long DatanetId, long Version, string Root, long Count, long BlockNumber);

public sealed record VersionEntryDto(long ContributionId, string ContentHash, string Contributor, long Size, string Leaf, IReadOnlyList<string> Proof);

/// <summary>A published version with every contribution under its root and each one's inclusion proof.</summary>
public sealed record VersionManifestDto(long DatanetId, long Version, string Root, long Count, long BlockNumber, string LeafEncoding,
    IReadOnlyList<VersionEntryDto> Contributions);

/// <summary>What the owner would publish now: publishVersion(datanetId, root, count).</summary>
public sealed record VersionDraftDto(long DatanetId, string Root, long Count, long NextVersion, string LeafEncoding, IReadOnlyList<long> ContributionIds);

public sealed record ModelVersionDto(long Version, string AdapterHash, string TrainingConfigHash, string TrainedOn, long BlockNumber);

public sealed record ModelDto(long Id, string Owner, string Kind, string BaseModel, string MetadataUri, string PricePer1kTokens, bool Active, long Versions, long BlockNumber);

public sealed record ModelDetailDto(ModelDto Model, IReadOnlyList<ModelVersionDto> Versions);

public sealed record EpochLeafDto(string Account, string Amount, bool Claimed, IReadOnlyList<string> Proof);

public sealed record EpochDto(long Epoch, string Fees, string? Root, string? Total, string? Distributable, string Claimed, long? PostedBlock,
    IReadOnlyList<ClaimDto> Claims, IReadOnlyList<EpochLeafDto>? Leaves, string LeafEncoding, long? RecordCount = null);

/// <summary>One attribution record of an epoch: the chain's Charged event as the prover listed it, and the record (AttributionRecordJson).</summary>
public sealed record EpochRecordDto(long Seq, System.Text.Json.Nodes.JsonObject? Charge, System.Text.Json.Nodes.JsonObject Record);

/// <summary>A page of an epoch's records, with the split (bps) and the accounts (contributors, model owners, stakers' pool) the root was built with.</summary>
public sealed record EpochRecordsDto(long Epoch, string Root, long RecordCount, string Distributable, System.Text.Json.Nodes.JsonObject Split,
    System.Text.Json.Nodes.JsonObject Accounts, IReadOnlyList<EpochRecordDto> Items, string? NextCursor);

public sealed record ClaimDto(long Epoch, string Account, string Amount, long BlockNumber);

/// <summary>The leaves of an epoch's reward tree, as `openledger attribution epoch` writes them under "claims".</summary>
public sealed record EpochLeavesRequest(IReadOnlyList<EpochLeafInput> Claims);

public sealed record EpochLeafInput(string Account, string Amount);

public sealed record UnclaimedDto(long Epoch, string Root, string Amount, IReadOnlyList<string> Proof);

public sealed record AccountDto(string Address, long Contributions, long Approved, long Rejected, long Pending, long BytesSubmitted,
    IReadOnlyList<ClaimDto> Claims, IReadOnlyList<UnclaimedDto> Unclaimed);

public sealed record StatusDto(long? IndexedBlock, string? IndexedHash, long ChainId, string DatanetRegistry, string ModelRegistry, string AttributionRewards, string Database);
