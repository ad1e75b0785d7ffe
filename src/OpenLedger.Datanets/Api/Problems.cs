using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace OpenLedger.Datanets.Api;

/// <summary>Turns every failure into RFC 7807 problem details (application/problem+json); never leaks an internal exception's text.</summary>
public static class Problems
{
    public static async Task Middleware(HttpContext http, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (ApiException e) when (!http.Response.HasStarted)
        {
            if (e.RetryAfter is { } ra) http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(ra.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Write(http, e.Status, e.Title, e.Detail);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await Write(http, e.StatusCode, "Bad request", e.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var log = http.RequestServices.GetService(typeof(ILogger<ApiContext>)) as ILogger;
            log?.LogError(e, "datanets API: {Method} {Path} failed", http.Request.Method, http.Request.Path);
            await Write(http, 500, "Internal error", "the server failed to answer; the error is logged");
        }
    }

    public static Task Write(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = "about:blank",
            Instance = http.Request.Path,
        };
        return http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
