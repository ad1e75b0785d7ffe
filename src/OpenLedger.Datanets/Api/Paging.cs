using System.Globalization;

namespace OpenLedger.Datanets.Api;

/// <summary>Keyset pagination: <c>limit</c> (1..200, default 50) and an opaque <c>cursor</c> (the last id of the previous page).</summary>
public static class Paging
{
    public const int DefaultLimit = 50, MaxLimit = 200;

    public static (int Limit, long After) Parse(int? limit, string? cursor)
    {
        var l = limit ?? DefaultLimit;
        if (l < 1 || l > MaxLimit) throw new ApiException(400, "Bad limit", $"limit must be between 1 and {MaxLimit}, got {l}");
        long after = 0;
        if (!string.IsNullOrEmpty(cursor) && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            throw new ApiException(400, "Bad cursor", $"cursor \"{cursor}\" is not one this API returned");
        return (l, after);
    }

    /// <summary>Builds the page from up to limit+1 rows (the extra one only says that there is more).</summary>
    public static Page<T> Of<T>(List<T> rows, int limit, Func<T, long> id) =>
        rows.Count > limit ? new Page<T>(rows.Take(limit).ToList(), id(rows[limit - 1]).ToString(CultureInfo.InvariantCulture)) : new Page<T>(rows, null);
}
