namespace OpenLedger.Attribution.Scoring;

/// <summary>
/// The k best candidates under (rank key descending, contribution id ascending). The key is scale_i · dot, which
/// orders candidates exactly as the full score does because the query scale is a common positive factor.
/// k is small (tens), so a sorted insertion array beats a heap and keeps the order total and deterministic.
/// </summary>
public sealed class TopK
{
    private readonly long[] _keys;
    private readonly ulong[] _ids;
    private readonly long[] _rows;
    private int _count;

    public TopK(int k)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "top-k needs k ≥ 1");
        _keys = new long[k]; _ids = new ulong[k]; _rows = new long[k];
    }

    public int Count => _count;
    public int Capacity => _keys.Length;

    public static bool Better(long keyA, ulong idA, long keyB, ulong idB) => keyA > keyB || (keyA == keyB && idA < idB);

    public void Offer(long key, ulong id, long row)
    {
        int k = _keys.Length;
        if (_count == k && !Better(key, id, _keys[k - 1], _ids[k - 1])) return;
        int pos = _count < k ? _count++ : k - 1;
        while (pos > 0 && Better(key, id, _keys[pos - 1], _ids[pos - 1]))
        {
            _keys[pos] = _keys[pos - 1]; _ids[pos] = _ids[pos - 1]; _rows[pos] = _rows[pos - 1];
            pos--;
        }
        _keys[pos] = key; _ids[pos] = id; _rows[pos] = row;
    }

    public void Merge(TopK other)
    {
        for (int i = 0; i < other._count; i++) Offer(other._keys[i], other._ids[i], other._rows[i]);
    }

    public long Key(int i) => _keys[i];
    public ulong Id(int i) => _ids[i];
    public long Row(int i) => _rows[i];
}
