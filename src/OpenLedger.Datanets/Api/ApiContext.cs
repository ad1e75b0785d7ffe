using OpenLedger.Datanets.Content;
using OpenLedger.Datanets.Storage;
using OpenLedger.Datanets.Versions;

namespace OpenLedger.Datanets.Api;

/// <summary>What the route handlers share (one per host).</summary>
public sealed record ApiContext(Database Db, ContentStore Store, UploadService Uploads, VersionService Versions, DatanetsOptions Options);
