using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement.Tests;

public sealed class PaymentsChainFixture : IAsyncLifetime
{
    public SettlementChain C { get; private set; } = null!;
    public async Task InitializeAsync() => C = await SettlementChain.StartAsync(1_330_661_001);
    public async Task DisposeAsync() => await C.DisposeAsync();
}

/// <summary>The paid IInferencePayments against InferencePayments on our node: refusals before compute, batched settlement, restarts.</summary>
public sealed class PaymentsTests(PaymentsChainFixture f) : IClassFixture<PaymentsChainFixture>, IDisposable
{
    private static readonly UInt256 Price = new(1_000_000_000_000); // wei per 1k tokens
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-settle-" + Guid.NewGuid().ToString("N"));
    private SettlementChain C => f.C;

    private OnchainInferencePayments Payments(SettlementJournal j) => new(C.Payments, C.ChainId, j, sender: null);

    private async Task DepositAsync(int account, ulong wei) =>
        await C.SendAsync(account, C.Payments.Address.ToString(), "deposit()", [], wei);

    private static AttributionRecord NoShares(UInt256 fee) =>
        AttributionRecord.ForSpans(Keccak256.Compute(Guid.NewGuid().ToByteArray()), Keccak256.Compute(Guid.NewGuid().ToByteArray()), [], fee, []);

    [Fact]
    public async Task The_signed_digest_is_the_contracts()
    {
        var a = PaidRequests.Authorization(C.Accounts[1].Address, 3, new UInt256(12345));
        Assert.Equal(await C.Payments.DigestAsync(a), a.Digest(C.ChainId, C.Payments.Address));
    }

    [Fact]
    public async Task Bad_authorizations_are_refused_before_compute()
    {
        using var j = new SettlementJournal(_dir);
        var p = Payments(j);
        await DepositAsync(2, 1_000_000_000_000_000);
        var key = C.Accounts[2].Key;
        var (good, auth) = PaidRequests.Signed(C, key, 1, Price, 100, 100);

        async Task<PaymentRefusedException> Refused(InferenceQuote q) => await Assert.ThrowsAsync<PaymentRefusedException>(() => p.AuthorizeAsync(q, default));

        var e = await Refused(good with { Headers = new Dictionary<string, string>() });
        Assert.Equal(("missing_authorization", PaymentRefusal.Unauthorized), (e.Code, e.Refusal));
        Assert.Contains("X-OpenLedger-Payer", e.Message);

        e = await Refused(good with { RegistryModelId = null });
        Assert.Equal("model_not_payable", e.Code);

        // The same authorization presented for a costlier request (more max_tokens) is not enough.
        e = await Refused(good with { MaxTokens = 5000 });
        Assert.Equal(("max_fee_too_low", PaymentRefusal.PaymentRequired), (e.Code, e.Refusal));

        // Signed by someone else; a malformed signature; a high-s twin of a good signature.
        using (var other = new EthKey(C.Accounts[3].Key))
        {
            var forged = PaidRequests.Headers(auth, auth.Sign(C.ChainId, C.Payments.Address, other));
            e = await Refused(good with { Headers = forged });
            Assert.Equal("invalid_signature", e.Code);
            Assert.Contains("not by the user", e.Message);
        }
        var sig = auth.Sign(C.ChainId, C.Payments.Address, new EthKey(key));
        e = await Refused(good with { Headers = PaidRequests.Headers(auth, sig[..64]) });
        Assert.Equal("invalid_signature", e.Code);
        var highS = (byte[])sig.Clone();
        var s = Secp256k1.N - UInt256.FromBigEndian(sig.AsSpan(32, 32));
        s.WriteBigEndian(highS.AsSpan(32, 32));
        highS[64] = (byte)(highS[64] == 27 ? 28 : 27);
        e = await Refused(good with { Headers = PaidRequests.Headers(auth, highS) });
        Assert.Contains("upper half", e.Message);
        // Signed for another model than the request names.
        e = await Refused(good with { RegistryModelId = 2 });
        Assert.Equal("invalid_signature", e.Code);

        // Expiring too soon to settle.
        var soon = auth with { Expiry = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 10 };
        e = await Refused(good with { Headers = PaidRequests.Headers(soon, soon.Sign(C.ChainId, C.Payments.Address, new EthKey(key))) });
        Assert.Equal("authorization_expired", e.Code);

        // More than the deposit (account 4 deposited nothing).
        var (broke, _) = PaidRequests.Signed(C, C.Accounts[4].Key, 1, Price, 100, 100);
        e = await Refused(broke);
        Assert.Equal(("insufficient_deposit", PaymentRefusal.PaymentRequired), (e.Code, e.Refusal));

        // The good one passes once; the same nonce while held is refused; released, it may be used again.
        var hold = await p.AuthorizeAsync(good, default);
        e = await Refused(good);
        Assert.Equal("nonce_reused", e.Code);
        await hold.ReleaseAsync(default);
        Assert.Equal(0, p.HoldCount);
        hold = await p.AuthorizeAsync(good, default);
        await hold.ReleaseAsync(default);
    }

    [Fact]
    public async Task Holds_count_against_the_deposit()
    {
        using var j = new SettlementJournal(_dir);
        var p = Payments(j);
        await DepositAsync(5, 300_000_000_000); // 1.5 requests' worth
        var (a, _) = PaidRequests.Signed(C, C.Accounts[5].Key, 1, Price, 100, 100); // max fee 200,000,000,000
        var (b, _) = PaidRequests.Signed(C, C.Accounts[5].Key, 1, Price, 100, 100);
        var held = await p.AuthorizeAsync(a, default);
        var e = await Assert.ThrowsAsync<PaymentRefusedException>(() => p.AuthorizeAsync(b, default));
        Assert.Equal("insufficient_deposit", e.Code);
        // Charged at 50,000,000,000 (queued, unsettled): the queue still counts, but the rest now covers b.
        await held.ChargeAsync(new InferenceUsage(100, 0, new UInt256(50_000_000_000)), NoShares(new UInt256(50_000_000_000)), default);
        var hb = await p.AuthorizeAsync(b, default);
        await hb.ReleaseAsync(default);
    }

    [Fact]
    public async Task Charges_settle_in_batches_and_survive_restarts()
    {
        await DepositAsync(6, 1_000_000_000_000_000);
        var user = C.Accounts[6].Address;
        var before = await C.Payments.BalanceOfAsync(user);
        var epoch = await C.Payments.CurrentEpochAsync();
        var fees = new[] { 1_000u, 2_000u, 3_000u };
        var records = new List<AttributionRecord>();
        var nonces = new List<UInt256>();
        using (var j = new SettlementJournal(_dir))
        {
            var p = Payments(j);
            foreach (var fee in fees)
            {
                var (q, auth) = PaidRequests.Signed(C, C.Accounts[6].Key, 1, Price, 10, 10);
                var hold = await p.AuthorizeAsync(q, default);
                var r = NoShares(new UInt256(fee));
                await hold.ChargeAsync(new InferenceUsage(10, 5, new UInt256(fee)), r, default);
                records.Add(r);
                nonces.Add(auth.Nonce);
                // a queued nonce cannot be presented again
                Assert.Equal("nonce_reused", (await Assert.ThrowsAsync<PaymentRefusedException>(() => p.AuthorizeAsync(q, default))).Code);
            }
        } // "crash": nothing settled yet

        File.AppendAllText(Path.Combine(_dir, "settlement.jsonl"), "{\"op\":\"charge\",\"key\":\"torn"); // a write cut short
        var snapshot = Path.Combine(_dir, "before-settle.jsonl");
        using (var j = new SettlementJournal(_dir))
        {
            Assert.Equal(3, j.PendingCount);
            File.Copy(j.JournalPath, snapshot);
            await using var sender = new SettlementSender(C.Payments, C.Accounts[0].Key, j);
            await sender.FlushAsync();
            Assert.Equal(3, sender.Charged);
            Assert.Equal(0, j.PendingCount);
        }
        for (int i = 0; i < 3; i++) Assert.Equal(records[i].Hash(), await C.Payments.ChargedRecordAsync(user, nonces[i]));
        Assert.Equal(before - new UInt256(6_000), await C.Payments.BalanceOfAsync(user));
        var charged = await C.Payments.ChargedAsync(epoch, 0, await C.Chain.BlockNumberAsync());
        Assert.Equal(3, charged.Count(c => c.User == user));

        // Crash after the batch was mined but before "done" was written: the restart finds them charged, pays nothing twice.
        File.Copy(snapshot, Path.Combine(_dir, "settlement.jsonl"), overwrite: true);
        using (var j = new SettlementJournal(_dir))
        {
            Assert.Equal(3, j.PendingCount);
            await using var sender = new SettlementSender(C.Payments, C.Accounts[0].Key, j);
            await sender.FlushAsync();
            Assert.Equal(0, sender.Charged + sender.Rejected);
            Assert.Equal(0, j.PendingCount);
        }
        Assert.Equal(before - new UInt256(6_000), await C.Payments.BalanceOfAsync(user));
        var stored = SettlementJournal.ReadRecords(Path.Combine(_dir, "records.jsonl"));
        Assert.All(records, r => Assert.True(stored.ContainsKey(r.Hash())));

        // An already-charged nonce is refused by a fresh server too (read from the chain).
        using (var j = new SettlementJournal(_dir))
        {
            var p = Payments(j);
            using var k = new EthKey(C.Accounts[6].Key);
            var reuse = PaidRequests.Authorization(k.Address, 1, Pricing.Fee(Price, 20), nonces[0]);
            var q = PaidRequests.Quote(1, Price, 10, 10, PaidRequests.Headers(reuse, reuse.Sign(C.ChainId, C.Payments.Address, k)));
            Assert.Equal("nonce_reused", (await Assert.ThrowsAsync<PaymentRefusedException>(() => p.AuthorizeAsync(q, default))).Code);
        }
    }

    [Fact]
    public async Task The_background_sender_settles_after_the_batch_size()
    {
        await DepositAsync(7, 1_000_000_000_000_000);
        using var j = new SettlementJournal(_dir);
        await using var sender = new SettlementSender(C.Payments, C.Accounts[0].Key, j) { BatchSize = 2, MaxDelay = TimeSpan.FromHours(1) };
        var p = new OnchainInferencePayments(C.Payments, C.ChainId, j, sender);
        sender.Start();
        for (int i = 0; i < 2; i++)
        {
            var (q, _) = PaidRequests.Signed(C, C.Accounts[7].Key, 1, Price, 10, 10);
            var hold = await p.AuthorizeAsync(q, default);
            await hold.ChargeAsync(new InferenceUsage(10, 1, new UInt256(7)), NoShares(new UInt256(7)), default);
        }
        // Wait for the batch (bounded; no timing asserted).
        for (int i = 0; i < 600 && j.PendingCount > 0; i++) await Task.Delay(100);
        Assert.Equal(0, j.PendingCount);
        Assert.Equal(2, sender.Charged);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
