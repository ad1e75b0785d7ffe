namespace OpenLedger.Serving;

/// <summary>
/// A request the server refuses, with everything OpenAI's error object carries: the HTTP status, `type`
/// ("invalid_request_error", "authentication_error", "rate_limit_error", "server_error", ...), `code` and `param`.
/// Thrown anywhere between parsing and the answer; the endpoint turns it into the response, nothing else fails.
/// </summary>
public sealed class ServingException(int status, string type, string message, string? code = null, string? param = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Code { get; } = code;
    public string? Param { get; } = param;

    public static ServingException Invalid(string message, string? param = null, string? code = null) => new(400, "invalid_request_error", message, code, param);

    public static ServingException ModelNotFound(string model, string? why = null) =>
        new(404, "invalid_request_error", $"The model `{model}` does not exist or you do not have access to it.{(why == null ? "" : " " + why)}", "model_not_found", "model");
}
