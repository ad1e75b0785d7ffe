namespace OpenLedger.AI.Training;

/// <summary>The training (and eval) loss against the step, as a PNG drawn by ScottPlot.</summary>
public static class LossCurve
{
    public static void Save(string path, IReadOnlyList<(int Step, double Loss)> train, IReadOnlyList<(int Step, double Loss)> eval, string title)
    {
        if (train.Count == 0) throw new ArgumentException("no losses to plot");
        var plot = new ScottPlot.Plot();
        var s = plot.Add.Scatter(train.Select(h => (double)h.Step).ToArray(), train.Select(h => h.Loss).ToArray());
        s.LegendText = "train loss";
        s.MarkerSize = 0;
        if (eval.Count > 0)
        {
            var e = plot.Add.Scatter(eval.Select(h => (double)h.Step).ToArray(), eval.Select(h => h.Loss).ToArray());
            e.LegendText = "eval loss";
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("cross-entropy");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
