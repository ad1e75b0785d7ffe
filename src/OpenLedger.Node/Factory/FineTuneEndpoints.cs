using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenLedger.Datanets;

namespace OpenLedger.Node.Factory;

/// <summary>/api/factory: base models, fine-tune jobs (submit, list, status with the loss history). Mapped into the Datanets API host.</summary>
public static class FineTuneEndpoints
{
    public sealed record BaseModelsDto(IReadOnlyList<string> Items);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Map(RouteGroupBuilder api, FineTuneJobs jobs)
    {
        var g = api.MapGroup("/factory").WithTags("ModelFactory");
        g.MapGet("/models", () => new BaseModelsDto(jobs.BaseModels()))
            .WithName("ListBaseModels").WithSummary("Base models a fine-tune can start from (the node's models directory).");
        g.MapGet("/jobs", () => jobs.List())
            .WithName("ListFineTuneJobs").WithSummary("Fine-tune jobs, newest first.");
        g.MapGet("/jobs/{id:long}", (long id) => jobs.Get(id) ?? throw new ApiException(404, "Unknown job", $"fine-tune job {id} does not exist"))
            .WithName("GetFineTuneJob").WithSummary("One job: status, step, loss history, and once it succeeded the adapter hash, training config hash and Datanet versions to register.");
        g.MapPost("/jobs", async (HttpContext http, CancellationToken ct) =>
        {
            FineTuneRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<FineTuneRequest>(http.Request.Body, Web, ct);
            }
            catch (JsonException e)
            {
                throw new ApiException(400, "Invalid JSON", $"the body is not a fine-tune request: {e.Message}");
            }
            if (body == null) throw new ApiException(400, "Invalid JSON", "the body is empty: send {\"datanetId\", \"version\", \"baseModel\", \"hyperparameters\"}");
            var job = await jobs.SubmitAsync(body, ct);
            return Results.Created($"/api/factory/jobs/{job.Id}", job);
        }).Accepts<FineTuneRequest>("application/json").Produces<FineTuneJobDto>(StatusCodes.Status201Created)
          .WithName("StartFineTune").WithSummary("Queue a LoRA fine-tune of a base model on a published Datanet version; hyperparameters are checked (400 names the field).");
    }
}
