using Microsoft.Extensions.Logging;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Authorization;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement;

/// <summary>
/// Paid serving (`serve --payments ADDR`): every request carries the user's EIP-712 authorization
/// (<see cref="AuthorizationHeaders"/>). Before any compute it checks the signature, that the nonce is neither
/// charged on-chain nor held or queued here, that the authorized maximum covers the request's maximum fee, that the
/// authorization stays chargeable long enough to settle, and that the deposit covers this maximum plus everything
/// this server still holds or owes for the user (less a pending withdrawal). A charge is journaled durably before
/// the answer returns and settled later by <see cref="SettlementSender"/>.
/// </summary>
public sealed class OnchainInferencePayments : IInferencePayments
{
    private readonly PaymentsContract _contract;
    private readonly ulong _chainId;
    private readonly SettlementJournal _journal;
    private readonly SettlementSender? _sender;
    private readonly ILogger? _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, (Address User, UInt256 MaxFee)> _holds = new(StringComparer.Ordinal);

    /// <summary>An authorization must stay chargeable at least this long after the request arrives (default 5 minutes).</summary>
    public TimeSpan MinExpiryMargin { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The clock (tests move it).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    public OnchainInferencePayments(PaymentsContract contract, ulong chainId, SettlementJournal journal, SettlementSender? sender, ILogger? logger = null)
    {
        _contract = contract; _chainId = chainId; _journal = journal; _sender = sender; _logger = logger;
    }

    public string Name => "onchain";

    public int HoldCount { get { lock (_gate) return _holds.Count; } }

    public async Task<IPaymentHold> AuthorizeAsync(InferenceQuote quote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (quote.RegistryModelId is not { } modelId)
            throw new PaymentRefusedException(PaymentRefusal.PaymentRequired, $"model '{quote.Model}' is not registered in ModelRegistry: paid serving charges registered models only", "model_not_payable");
        var (auth, rawSignature) = AuthorizationHeaders.Parse(quote.Headers, modelId);
        var maxFee = quote.MaxFee;
        if (auth.MaxFee < maxFee)
            throw new PaymentRefusedException(PaymentRefusal.PaymentRequired,
                $"the authorized maximum fee {auth.MaxFee} wei is below this request's maximum {maxFee} wei ({quote.PricePer1kTokens} wei per 1k tokens × ({quote.PromptTokens} prompt + {quote.MaxTokens} max_tokens))", "max_fee_too_low");
        var now = (ulong)Clock().ToUnixTimeSeconds();
        if (auth.Expiry < now + (ulong)MinExpiryMargin.TotalSeconds)
            throw new PaymentRefusedException(PaymentRefusal.Unauthorized,
                $"the authorization expires at {auth.Expiry}, less than {MinExpiryMargin.TotalSeconds:0} s from now ({now}): sign one with a later expiry", "authorization_expired");
        var signature = auth.Verify(_chainId, _contract.Address, rawSignature, out var why)
            ?? throw new PaymentRefusedException(PaymentRefusal.Unauthorized, $"invalid authorization signature: {why}", "invalid_signature");

        var key = PendingCharge.KeyOf(auth.User, auth.Nonce);
        lock (_gate)
        {
            // Reserve the nonce first, so two requests racing with the same authorization cannot both pass.
            if (_holds.ContainsKey(key) || _journal.IsPending(key))
                throw new PaymentRefusedException(PaymentRefusal.Unauthorized, $"nonce {auth.Nonce} of {auth.User} is already in use", "nonce_reused");
            _holds[key] = (auth.User, UInt256.Zero);
        }
        try
        {
            Hash256 charged;
            UInt256 balance, withdrawing;
            try
            {
                charged = await _contract.ChargedRecordAsync(auth.User, auth.Nonce).ConfigureAwait(false);
                balance = await _contract.BalanceOfAsync(auth.User).ConfigureAwait(false);
                withdrawing = (await _contract.PendingWithdrawalAsync(auth.User).ConfigureAwait(false)).Amount;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger?.LogWarning(e, "payments: chain read failed");
                throw new PaymentRefusedException(PaymentRefusal.Unavailable, $"the payments contract could not be read: {e.Message}", "payments_unavailable");
            }
            if (charged != Hash256.Zero)
                throw new PaymentRefusedException(PaymentRefusal.Unauthorized, $"nonce {auth.Nonce} of {auth.User} was already charged", "nonce_reused");
            lock (_gate)
            {
                var committed = _journal.PendingFees(auth.User);
                foreach (var h in _holds.Values) if (h.User == auth.User) committed += h.MaxFee;
                var available = balance > withdrawing ? balance - withdrawing : UInt256.Zero;
                if (available < committed + auth.MaxFee)
                    throw new PaymentRefusedException(PaymentRefusal.PaymentRequired,
                        $"deposit too low: {auth.User} has {balance} wei deposited ({withdrawing} being withdrawn, {committed} held or unsettled here); this request may cost up to {auth.MaxFee} wei", "insufficient_deposit");
                _holds[key] = (auth.User, auth.MaxFee);
            }
            return new Hold(this, key, auth, signature, quote.AdapterHash);
        }
        catch
        {
            lock (_gate) _holds.Remove(key);
            throw;
        }
    }

    private sealed class Hold(OnchainInferencePayments owner, string key, InferenceAuthorization auth, byte[] signature, Hash256? adapterHash) : IPaymentHold
    {
        private int _done;

        public Task<ChargeReceipt> ChargeAsync(InferenceUsage usage, AttributionRecord? record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(usage);
            if (Interlocked.Exchange(ref _done, 1) != 0) throw new InvalidOperationException("this hold was already charged or released");
            try
            {
                if (usage.Fee > auth.MaxFee) throw new InvalidOperationException($"fee {usage.Fee} exceeds the authorized maximum {auth.MaxFee}");
                // A model without sketches still commits a record: no shares, so the owner takes the data part.
                record ??= AttributionRecord.ForSpans(adapterHash ?? Hash256.Zero, auth.Digest(owner._chainId, owner._contract.Address), [], usage.Fee, []);
                if (record.Fee != usage.Fee) throw new InvalidOperationException($"the attribution record's fee {record.Fee} is not the charged fee {usage.Fee}");
                var charge = new PendingCharge(new ChargeItem(auth, signature, usage.Fee, record.Hash()), owner.Clock());
                owner._journal.Append(charge, record);
            }
            finally
            {
                lock (owner._gate) owner._holds.Remove(key);
            }
            owner._sender?.Notify();
            return Task.FromResult(new ChargeReceipt($"{key}:{record.Hash()}"));
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                lock (owner._gate) owner._holds.Remove(key);
            return Task.CompletedTask;
        }
    }
}
