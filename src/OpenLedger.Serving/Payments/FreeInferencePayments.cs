using Microsoft.Extensions.Logging;
using OpenLedger.Attribution.Records;

namespace OpenLedger.Serving.Payments;

/// <summary>
/// `serve --free`: nobody pays. Every request is authorized and charges go nowhere (the fee and record are still
/// computed, logged and returned, so a local run shows what a paid one would cost and credit).
/// </summary>
public sealed class FreeInferencePayments : IInferencePayments
{
    public FreeInferencePayments(ILogger? logger = null) =>
        logger?.LogWarning("payments: FREE mode: requests are not charged and fees are not settled (for local use)");

    public string Name => "free";

    public Task<IPaymentHold> AuthorizeAsync(InferenceQuote quote, CancellationToken cancellationToken) =>
        Task.FromResult<IPaymentHold>(new Hold());

    private sealed class Hold : IPaymentHold
    {
        private int _done;
        public Task<ChargeReceipt> ChargeAsync(InferenceUsage usage, AttributionRecord? record, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) throw new InvalidOperationException("this hold was already charged or released");
            return Task.FromResult(new ChargeReceipt(null));
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _done, 1);
            return Task.CompletedTask;
        }
    }
}
