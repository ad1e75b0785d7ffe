using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Datanets;
using OpenLedger.Node.Factory;

namespace OpenLedger.Node.Tests.Factory;

/// <summary>The fine-tune job store across a restart, the base-model list, and the hyperparameter checks (the HTTP side is in web/tests/factory.test.mjs).</summary>
public sealed class FineTuneJobsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-ftjobs-" + Guid.NewGuid().ToString("N"));
    private string Models => Path.Combine(_dir, "models");
    private string Data => Path.Combine(_dir, "factory");

    public FineTuneJobsTests()
    {
        Directory.CreateDirectory(Models);
        // "tiny" has what a base model needs; "half" lacks its weights; "../x" could never be a name.
        foreach (var (name, files) in new[] { ("tiny", new[] { "config.json", "model.safetensors", "tokenizer.json" }), ("half", new[] { "config.json", "tokenizer.json" }) })
        {
            Directory.CreateDirectory(Path.Combine(Models, name));
            foreach (var f in files) File.WriteAllText(Path.Combine(Models, name, f), "{}");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private FineTuneJobs Open() => new(Data, Models, () => "http://127.0.0.1:1", null, NullLogger.Instance);

    private static FineTuneJobDto Job(long id, string status) => new()
    {
        Id = id, Status = status, DatanetId = 1, Version = 1, BaseModel = "tiny", Hyperparameters = FineTuneJobs.Validate(null), TotalSteps = 20,
        Step = 7, Losses = [new LossPoint(1, 3.5), new LossPoint(2, 3.25)], CreatedAt = DateTimeOffset.UnixEpoch,
        AdapterHash = status == FineTuneJobs.Succeeded ? "0x" + new string('a', 64) : null,
    };

    private void Write(FineTuneJobDto job)
    {
        Directory.CreateDirectory(Path.Combine(Data, "jobs"));
        File.WriteAllText(Path.Combine(Data, "jobs", $"{job.Id}.json"), JsonSerializer.Serialize(job, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public async Task A_restart_reports_finished_jobs_and_fails_the_interrupted_ones()
    {
        Write(Job(1, FineTuneJobs.Succeeded));
        Write(Job(2, FineTuneJobs.Running));
        Write(Job(3, FineTuneJobs.Queued));
        File.WriteAllText(Path.Combine(Data, "jobs", "4.json"), "{not json");
        await using (var jobs = Open())
        {
            Assert.Equal([3L, 2L, 1L], jobs.List().Select(j => j.Id));
            var done = jobs.Get(1)!;
            Assert.Equal(FineTuneJobs.Succeeded, done.Status);
            Assert.Equal("0x" + new string('a', 64), done.AdapterHash);
            Assert.Equal([3.5, 3.25], done.Losses.Select(l => l.Loss));
            foreach (var id in new[] { 2L, 3L })
            {
                var j = jobs.Get(id)!;
                Assert.Equal(FineTuneJobs.Failed, j.Status);
                Assert.StartsWith("interrupted: the node stopped while the job was", j.Error);
                Assert.NotNull(j.FinishedAt);
            }
            Assert.Null(jobs.Get(4));
        }
        // The verdict is stored: a second restart reads it back as it is.
        await using (var again = Open())
            Assert.Equal([FineTuneJobs.Failed, FineTuneJobs.Failed, FineTuneJobs.Succeeded], again.List().Select(x => x.Status));
    }

    [Fact]
    public async Task Lists_only_complete_model_directories_and_refuses_bad_requests_before_queueing()
    {
        await using var jobs = Open();
        Assert.Equal(["tiny"], jobs.BaseModels());
        async Task<ApiException> Refused(FineTuneRequest r) => await Assert.ThrowsAsync<ApiException>(() => jobs.SubmitAsync(r, CancellationToken.None));
        Assert.Contains("datanetId must be a positive", (await Refused(new FineTuneRequest(0, 1, "tiny", null))).Detail);
        Assert.Contains("version must be a published version", (await Refused(new FineTuneRequest(1, 0, "tiny", null))).Detail);
        Assert.Contains("baseModel is required", (await Refused(new FineTuneRequest(1, 1, null, null))).Detail);
        Assert.Contains("not in the models directory", (await Refused(new FineTuneRequest(1, 1, "half", null))).Detail);
        Assert.Contains("not in the models directory", (await Refused(new FineTuneRequest(1, 1, "../models/tiny", null))).Detail);
        var e = await Refused(new FineTuneRequest(1, 1, "tiny", new FineTuneHyperparameters(Rank: 65)));
        Assert.Equal(400, e.Status);
        Assert.Equal("hyperparameters.rank must be between 1 and 64, got 65", e.Detail);
        Assert.Empty(jobs.List());
    }

    [Theory]
    [InlineData(0, null, null, null, null, "hyperparameters.steps")]
    [InlineData(null, null, 0.0, null, null, "hyperparameters.alpha")]
    [InlineData(null, null, null, 1.5, null, "hyperparameters.learningRate")]
    [InlineData(null, null, null, double.NaN, null, "hyperparameters.learningRate")]
    [InlineData(null, null, null, null, 0, "hyperparameters.batchSize")]
    public void Hyperparameters_out_of_range_name_the_field(int? steps, int? rank, double? alpha, double? lr, int? batch, string field)
    {
        var e = Assert.Throws<ApiException>(() => FineTuneJobs.Validate(new FineTuneHyperparameters(steps, rank, alpha, lr, batch)));
        Assert.StartsWith(field + " ", e.Detail);
        var d = FineTuneJobs.Validate(null);
        Assert.Equal((20, 8, 16.0, 4, 256), (d.Steps!.Value, d.Rank!.Value, d.Alpha!.Value, d.BatchSize!.Value, d.MaxLength!.Value));
    }
}
