using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenLedger.Datanets.Api;

/// <summary>/api/models: ModelRegistry as indexed.</summary>
public static class ModelEndpoints
{
    private const string Columns = """
        id AS Id, owner AS Owner, CASE kind WHEN 0 THEN 'full' ELSE 'lora' END AS Kind, base_model AS BaseModel, metadata_uri AS MetadataUri,
        price_per_1k AS PricePer1kTokens, active AS Active, versions AS Versions, block_number AS BlockNumber
        """;

    private sealed class ModelRow
    {
        public long Id { get; set; }
        public string Owner { get; set; } = "";
        public string Kind { get; set; } = "";
        public string BaseModel { get; set; } = "";
        public string MetadataUri { get; set; } = "";
        public string PricePer1kTokens { get; set; } = "";
        public long Active { get; set; }
        public long Versions { get; set; }
        public long BlockNumber { get; set; }
        public ModelDto Dto() => new(Id, Owner, Kind, BaseModel, MetadataUri, PricePer1kTokens, Active != 0, Versions, BlockNumber);
    }

    public static void Map(RouteGroupBuilder api, ApiContext ctx)
    {
        var g = api.MapGroup("/models").WithTags("Models");
        g.MapGet("/", async (int? limit, string? cursor, CancellationToken ct) =>
        {
            var (l, after) = Paging.Parse(limit, cursor);
            await using var c = await ctx.Db.OpenAsync(ct);
            var rows = (await c.QueryAsync<ModelRow>($"SELECT {Columns} FROM models WHERE id > @after ORDER BY id LIMIT @n", new { after, n = l + 1 })).Select(r => r.Dto()).ToList();
            return Paging.Of(rows, l, m => m.Id);
        }).WithName("ListModels").WithSummary("Registered models and adapters (paged).");

        g.MapGet("/{id:long}", async (long id, CancellationToken ct) =>
        {
            await using var c = await ctx.Db.OpenAsync(ct);
            var m = (await c.QueryFirstOrDefaultAsync<ModelRow>($"SELECT {Columns} FROM models WHERE id = @id", new { id }))?.Dto()
                ?? throw new ApiException(404, "Unknown model", $"model {id} is not registered (or not indexed yet)");
            var versions = (await c.QueryAsync<ModelVersionDto>("""
                SELECT version AS Version, adapter_hash AS AdapterHash, training_config_hash AS TrainingConfigHash, trained_on AS TrainedOn, block_number AS BlockNumber
                FROM model_versions WHERE model_id = @id ORDER BY version
                """, new { id })).ToList();
            return new ModelDetailDto(m, versions);
        }).WithName("GetModel").WithSummary("One model with its versions and the Datanet versions each was trained on.");
    }
}
