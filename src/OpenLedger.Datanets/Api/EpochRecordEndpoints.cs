using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Datanets.Epochs;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Api;

/// <summary>
/// /api/epochs/{n}/records: the attribution records behind an epoch's reward root. The prover PUTs its epoch file; the
/// API accepts it only when the accounts agree with the index (each contribution's contributor, each model's owner) and
/// <see cref="EpochBuilder"/> over the records with the split read from AttributionRewards reproduces the root the chain
/// holds, so anyone can publish and nobody can publish records that did not produce the posted root. Served paged.
/// </summary>
public static class EpochRecordEndpoints
{
    private static readonly AbiFunction SplitFn = AbiFunction.FromSignature("split()", "(uint16,uint16,uint16,uint16)");

    private sealed class SetRow
    {
        public string Root { get; set; } = "";
        public string Split { get; set; } = "";
        public string Accounts { get; set; } = "";
        public long Records { get; set; }
        public string Distributable { get; set; } = "";
    }

    private sealed class RecordRow
    {
        public long Seq { get; set; }
        public string Body { get; set; } = "";
    }

    public static void Map(RouteGroupBuilder api, ApiContext ctx, RpcChainSource chain)
    {
        var g = api.MapGroup("/epochs").WithTags("Epochs");

        g.MapPut("/{epoch:long}/records", async (long epoch, HttpRequest request, CancellationToken ct) =>
        {
            JsonNode? body;
            try { body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct); }
            catch (System.Text.Json.JsonException e) { throw new ApiException(400, "Bad epoch records", $"the body is not JSON: {e.Message}"); }
            var set = EpochRecordSet.Parse(body, epoch);

            await using var c = await ctx.Db.OpenAsync(ct);
            var root = await c.QueryFirstOrDefaultAsync<string?>("SELECT root FROM epochs WHERE epoch = @epoch", new { epoch })
                ?? throw new ApiException(409, "No root on the chain", $"epoch {epoch} has no posted root yet (or the indexer has not seen it)");
            foreach (var (id, paid) in set.Accounts.Contributors)
            {
                var onChain = await c.QueryFirstOrDefaultAsync<string?>("SELECT contributor FROM contributions WHERE id = @id", new { id = (long)id })
                    ?? throw new ApiException(409, "Unknown contribution", $"contribution {id} is not in DatanetRegistry (or not indexed yet)");
                if (!string.Equals(onChain, paid.ToLowerHex(), StringComparison.Ordinal))
                    throw new ApiException(409, "Contributor mismatch", $"the records pay contribution {id} to {paid.ToLowerHex()}; DatanetRegistry's contributor is {onChain}");
            }
            foreach (var (model, paid) in set.Accounts.ModelOwners)
            {
                var owners = (await c.QueryAsync<string>("""
                    SELECT m.owner FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.adapter_hash = @hash
                    """, new { hash = model.ToString() })).ToList();
                if (owners.Count == 0) throw new ApiException(409, "Unknown model", $"no model in ModelRegistry has adapter hash {model} (or it is not indexed yet)");
                if (!owners.Contains(paid.ToLowerHex()))
                    throw new ApiException(409, "Model owner mismatch", $"the records pay model {model} to {paid.ToLowerHex()}; ModelRegistry's owner is {string.Join(" or ", owners.Distinct())}");
            }
            var split = await ReadSplitAsync(chain, ctx.Options.Contracts.AttributionRewards, ct);
            var result = set.Rebuild(split);
            if (!string.Equals(result.Root.ToString(), root, StringComparison.OrdinalIgnoreCase))
                throw new ApiException(409, "Records do not reproduce the chain's root",
                    $"EpochBuilder over these {set.Entries.Count} records with AttributionRewards' split {split.DataContributorsBps}/{split.ModelOwnerBps}/{split.StakersBps}/{split.ProtocolBps} " +
                    $"gives root {result.Root} (distributable {result.Distributable}); the chain's root of epoch {epoch} is {root}");

            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync("DELETE FROM epoch_records WHERE epoch = @epoch", new { epoch }, tx);
            await c.ExecuteAsync("DELETE FROM epoch_record_sets WHERE epoch = @epoch", new { epoch }, tx);
            await c.ExecuteAsync("INSERT INTO epoch_record_sets (epoch, root, split, accounts, records, distributable) VALUES (@epoch, @root, @split, @accounts, @records, @distributable)",
                new { epoch, root, split = EpochRecordSet.SplitJson(split).ToJsonString(), accounts = set.AccountsJson().ToJsonString(), records = (long)set.Entries.Count, distributable = result.Distributable.ToString() }, tx);
            await c.ExecuteAsync("INSERT INTO epoch_records (epoch, seq, record_hash, body) VALUES (@epoch, @seq, @hash, @body)",
                set.Entries.Select((e, i) => new
                {
                    epoch, seq = (long)i + 1, hash = e.Record.Hash().ToString(),
                    body = new JsonObject { ["charge"] = e.Charge?.DeepClone(), ["record"] = Attribution.Records.AttributionRecordJson.ToJson(e.Record) }.ToJsonString(),
                }), tx);
            await tx.CommitAsync(ct);
            return Results.NoContent();
        }).WithName("PublishEpochRecords")
          .WithSummary("Publishes an epoch's attribution records (the epoch file of `openledger prover`); accepted only when they reproduce the chain's root with the on-chain split.")
          .Accepts<JsonObject>("application/json")
          .Produces(204).ProducesProblem(400).ProducesProblem(409).ProducesProblem(413);

        g.MapGet("/{epoch:long}/records", async (long epoch, int? limit, string? cursor, CancellationToken ct) =>
        {
            var (l, after) = Paging.Parse(limit, cursor);
            await using var c = await ctx.Db.OpenAsync(ct);
            var set = await c.QueryFirstOrDefaultAsync<SetRow>("""
                SELECT s.root AS Root, s.split AS Split, s.accounts AS Accounts, s.records AS Records, s.distributable AS Distributable
                FROM epoch_record_sets s JOIN epochs e ON e.epoch = s.epoch AND e.root = s.root WHERE s.epoch = @epoch
                """, new { epoch }) ?? throw new ApiException(404, "No records", $"epoch {epoch} has no published records for its current root");
            var rows = (await c.QueryAsync<RecordRow>("SELECT seq AS Seq, body AS Body FROM epoch_records WHERE epoch = @epoch AND seq > @after ORDER BY seq LIMIT @n",
                new { epoch, after, n = l + 1 })).ToList();
            var page = Paging.Of(rows, l, r => r.Seq);
            var items = page.Items.Select(r =>
            {
                var o = JsonNode.Parse(r.Body)!.AsObject();
                return new EpochRecordDto(r.Seq, o["charge"] as JsonObject, (JsonObject)o["record"]!);
            }).ToList();
            return new EpochRecordsDto(epoch, set.Root, set.Records, set.Distributable, JsonNode.Parse(set.Split)!.AsObject(), JsonNode.Parse(set.Accounts)!.AsObject(), items, page.NextCursor);
        }).WithName("ListEpochRecords")
          .WithSummary("The attribution records behind the epoch's root (paged), with the split and the accounts they were built with.")
          .Produces<EpochRecordsDto>().ProducesProblem(404);
    }

    private static async Task<GovernanceSplit> ReadSplitAsync(RpcChainSource chain, string rewards, CancellationToken ct)
    {
        object?[] r;
        try { r = SplitFn.DecodeOutput(await chain.CallAsync(rewards, SplitFn.EncodeCall(), ct)); }
        catch (Exception e) when (e is not OperationCanceledException and not ApiException)
        { throw new ApiException(503, "Chain unavailable", $"AttributionRewards.split() at {rewards} could not be read: {e.Message}"); }
        int At(int i) => (int)((UInt256)r[i]!).u0;
        return new GovernanceSplit(At(0), At(1), At(2), At(3));
    }
}
