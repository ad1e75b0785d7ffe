using OpenLedger.Attribution.Records;

namespace OpenLedger.Serving.Payments;

/// <summary>
/// How a request is paid for. The server calls <see cref="AuthorizeAsync"/> after parsing and tokenizing the request
/// and before any compute; it charges the returned hold with the actual usage once the answer is complete, or releases
/// it when the request fails or the client goes away. Implementations: <see cref="FreeInferencePayments"/>
/// (`serve --free`) and the on-chain one (EIP-712 authorizations against the L2 payments contract).
/// </summary>
public interface IInferencePayments
{
    /// <summary>A short name for logs ("free", "onchain").</summary>
    string Name { get; }

    /// <summary>
    /// Checks that the request may run at up to <see cref="InferenceQuote.MaxFee"/> and reserves that much.
    /// Throws <see cref="PaymentRefusedException"/> to refuse; the server answers with its OpenAI-style error.
    /// </summary>
    Task<IPaymentHold> AuthorizeAsync(InferenceQuote quote, CancellationToken cancellationToken);
}

/// <summary>An authorization reserved for one request: charged once or released once.</summary>
public interface IPaymentHold
{
    /// <summary>
    /// Charges the actual fee (<see cref="InferenceUsage.Fee"/> ≤ the quote's max fee). <paramref name="record"/> is the
    /// request's attribution record (its hash is committed with the charge), or null when the model has no sketch
    /// store (the base model, an adapter trained without sketches).
    /// </summary>
    Task<ChargeReceipt> ChargeAsync(InferenceUsage usage, AttributionRecord? record, CancellationToken cancellationToken);

    /// <summary>Gives the reservation back (the request failed before an answer).</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}

/// <summary>What a charge returned: a reference the client can look up (settlement batch, transaction), if any.</summary>
public sealed record ChargeReceipt(string? Reference);
