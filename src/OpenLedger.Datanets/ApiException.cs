namespace OpenLedger.Datanets;

/// <summary>
/// An upload (or other request) refused for a reason the client can fix; the API turns it into RFC 7807 problem details
/// with <paramref name="Status"/>, a short <paramref name="Title"/> and the specific <paramref name="Detail"/>.
/// </summary>
public sealed class ApiException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public TimeSpan? RetryAfter { get; init; }
}
