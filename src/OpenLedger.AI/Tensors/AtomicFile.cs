namespace OpenLedger.AI.Tensors;

/// <summary>Writes a file through a temporary sibling and a rename, so readers never see half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        using (var w = new StreamWriter(f))
        {
            w.Write(text);
            w.Flush();
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
