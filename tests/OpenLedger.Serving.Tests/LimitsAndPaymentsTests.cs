using System.Collections.Concurrent;
using OpenLedger.AI.Factory;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Tests;

public class LimitsAndPaymentsTests(ServerFixture shared) : IClassFixture<ServerFixture>
{
    /// <summary>A payments test seam: refuses on demand and records what the server asked for.</summary>
    private sealed class RecordingPayments : IInferencePayments
    {
        public PaymentRefusal? Refuse;
        public readonly ConcurrentQueue<InferenceQuote> Quotes = new();
        public readonly ConcurrentQueue<(InferenceUsage Usage, AttributionRecord? Record)> Charges = new();
        public int Releases;
        public string Name => "recording";

        public Task<IPaymentHold> AuthorizeAsync(InferenceQuote quote, CancellationToken ct)
        {
            Quotes.Enqueue(quote);
            if (Refuse is { } r) throw new PaymentRefusedException(r, $"refused: {r}");
            return Task.FromResult<IPaymentHold>(new Hold(this));
        }

        private sealed class Hold(RecordingPayments p) : IPaymentHold
        {
            public Task<ChargeReceipt> ChargeAsync(InferenceUsage usage, AttributionRecord? record, CancellationToken ct)
            {
                p.Charges.Enqueue((usage, record));
                return Task.FromResult(new ChargeReceipt("batch-1"));
            }

            public Task ReleaseAsync(CancellationToken ct) { Interlocked.Increment(ref p.Releases); return Task.CompletedTask; }
        }
    }

    [Fact]
    public async Task Payments_see_the_quote_before_compute_get_the_record_with_the_charge_and_refusals_map_to_401_402_429()
    {
        var payments = new RecordingPayments();
        await using var host = await ServingHost.StartAsync(shared.Adapters.Options(), payments);
        var client = new ServerFixture.Client(new HttpClient { BaseAddress = host.Address });
        const string payer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

        var (status, body, _) = await client.Post("/v1/completions", new { model = "facts", prompt = "### Instruction:\nWhat is the secret of C?\n\n### Response:\n", max_tokens = 6, temperature = 0 }, payer);
        Assert.Equal(200, status);
        var quote = Assert.Single(payments.Quotes);
        Assert.Equal("facts", quote.Model);
        Assert.Equal(payer.ToLowerInvariant(), quote.Account);
        Assert.Equal(6, quote.MaxTokens);
        Assert.Equal(AdapterFiles.Hash(shared.Adapters.FactsDir), quote.AdapterHash);
        Assert.Equal(Pricing.Fee(quote.PricePer1kTokens, quote.PromptTokens + 6), quote.MaxFee);
        Assert.Equal(payer, quote.Headers["x-openledger-payer"]);
        var (usage, record) = Assert.Single(payments.Charges);
        Assert.NotNull(record);
        Assert.Equal((string?)body["openledger"]!["record_hash"], record!.Hash().ToString());
        Assert.Equal(usage.Fee, record.Fee);
        Assert.Equal("batch-1", (string?)body["openledger"]!["charge_reference"]);
        Assert.True(usage.Fee <= quote.MaxFee);

        foreach (var (refusal, code) in new[] { (PaymentRefusal.Unauthorized, 401), (PaymentRefusal.PaymentRequired, 402), (PaymentRefusal.RateLimited, 429), (PaymentRefusal.Unavailable, 503) })
        {
            payments.Refuse = refusal;
            long steps = host.Engine.Steps;
            var (s, err, _) = await client.Post("/v1/completions", new { model = "random", prompt = "hi", max_tokens = 3 });
            Assert.Equal(code, s);
            Assert.Contains("refused", (string?)err["error"]!["message"]);
            Assert.Equal(steps, host.Engine.Steps); // refused before any compute
        }
        payments.Refuse = null;

        // a failure after authorization (the adapter cannot load) releases the hold and charges nothing
        int charges = payments.Charges.Count;
        var (sb, _, _) = await client.Post("/v1/completions", new { model = "broken", prompt = "hi", max_tokens = 3 });
        Assert.Equal(500, sb);
        Assert.Equal(1, payments.Releases);
        Assert.Equal(charges, payments.Charges.Count);
    }

    [Fact]
    public async Task Rate_limit_counts_per_payer_and_a_full_queue_answers_429()
    {
        await using var host = await ServingHost.StartAsync(shared.Adapters.Options() with { RateLimitPerMinute = 2 }, new FreeInferencePayments());
        var client = new ServerFixture.Client(new HttpClient { BaseAddress = host.Address });
        const string a = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", b = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
        var req = new { model = "tiny-base", prompt = "hi", max_tokens = 1 };
        Assert.Equal(200, (await client.Post("/v1/completions", req, a)).Status);
        Assert.Equal(200, (await client.Post("/v1/completions", req, a)).Status);
        var (s, err, resp) = await client.Post("/v1/completions", req, a);
        Assert.Equal(429, s);
        Assert.Equal("rate_limit_exceeded", (string?)err["error"]!["code"]);
        Assert.True(resp.Headers.Contains("Retry-After"));
        Assert.Equal(200, (await client.Post("/v1/completions", req, b)).Status);

        await using var closed = await ServingHost.StartAsync(shared.Adapters.Options() with { MaxQueue = 0 }, new FreeInferencePayments());
        var c2 = new ServerFixture.Client(new HttpClient { BaseAddress = closed.Address });
        var (sq, eq, _) = await c2.Post("/v1/completions", req);
        Assert.Equal(429, sq);
        Assert.Equal("queue_full", (string?)eq["error"]!["code"]);
    }

    [Fact]
    public async Task Adapter_cache_loads_just_in_time_and_evicts_least_recently_used_within_its_byte_budget()
    {
        var (model, _) = ModelFactory.Load(TinyServing.BaseDir);
        string root = TinyServing.TempDir();
        var entries = new List<AdapterEntry>();
        for (int i = 0; i < 4; i++)
        {
            string dir = Path.Combine(root, "a" + i);
            TinyServing.RandomAdapter(model.Weights, 200 + (ulong)i).Save(dir);
            entries.Add(new AdapterEntry("a" + i, null, AdapterFiles.Hash(dir), UInt256.Zero, dir));
        }
        var first = await new AdapterCache(model.Weights, 1L << 30).GetAsync(entries[0]);
        var cache = new AdapterCache(model.Weights, first.Bytes * 2 + first.Bytes / 2); // room for two
        await cache.GetAsync(entries[0]);
        await cache.GetAsync(entries[1]);
        await cache.GetAsync(entries[0]); // a0 is now the most recent
        await cache.GetAsync(entries[2]); // evicts a1
        Assert.Equal(2, cache.Count);
        Assert.True(cache.Bytes <= first.Bytes * 2);
        Assert.True(cache.Contains(entries[0]));
        Assert.False(cache.Contains(entries[1]));
        Assert.True(cache.Contains(entries[2]));
        Assert.Equal(3, cache.Loads);
        var again = await cache.GetAsync(entries[1]); // loaded again just in time
        Assert.Equal(4, cache.Loads);
        Assert.Equal(2, cache.Evictions);
        Assert.Equal(first.Lora.Pairs.Count, again.Lora.Pairs.Count);
        // concurrent requests for one adapter share one load
        var many = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetAsync(entries[3])));
        Assert.All(many, m => Assert.Same(many[0], m));
        Assert.Equal(5, cache.Loads);
    }
}
