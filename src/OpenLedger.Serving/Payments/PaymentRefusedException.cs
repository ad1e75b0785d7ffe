namespace OpenLedger.Serving.Payments;

/// <summary>Why a payment was refused; the server maps each to its HTTP status and OpenAI error type.</summary>
public enum PaymentRefusal
{
    /// <summary>401: no authorization, or a signature that does not verify.</summary>
    Unauthorized,
    /// <summary>402: the deposit or the authorized maximum does not cover the request.</summary>
    PaymentRequired,
    /// <summary>429: too many outstanding authorizations for this payer.</summary>
    RateLimited,
    /// <summary>503: the payments backend is unreachable (the request was not run).</summary>
    Unavailable,
}

/// <summary>Thrown by <see cref="IInferencePayments.AuthorizeAsync"/> to refuse a request before compute.</summary>
public sealed class PaymentRefusedException(PaymentRefusal refusal, string message, string? code = null) : Exception(message)
{
    public PaymentRefusal Refusal { get; } = refusal;
    /// <summary>OpenAI error `code` (e.g. "invalid_signature", "insufficient_deposit", "nonce_reused").</summary>
    public string? Code { get; } = code;
}
