using OpenLedger.AI.Attribution;
using OpenLedger.AI.Model;

namespace OpenLedger.Serving.Tests;

public class AttributorTests
{
    [Fact]
    public void A_shared_projection_gives_the_same_query_sketch_as_the_sketcher_modelfactory_uses()
    {
        var (model, _) = AI.Factory.ModelFactory.Load(TinyServing.BaseDir);
        var m = new LlamaModel(model.Weights, TinyServing.RandomAdapter(model.Weights, 31, rank: 2, targets: ["q_proj", "v_proj"]));
        int[] prompt = [10, 20, 30, 40], answer = [50, 60];
        var own = new AdapterSketcher(m, 64, 5).QuerySketch(prompt, answer);
        var shared = new AdapterSketcher(m, new DeterministicProjection((int)m.Adapter!.ParameterCount(), 64, 5)).QuerySketch(prompt, answer);
        Assert.Equal(own.Values.ToArray(), shared.Values.ToArray());
        Assert.Equal(own.Scale, shared.Scale);
        Assert.Throws<ArgumentException>(() => new AdapterSketcher(m, new DeterministicProjection(7, 64, 5)));
    }
}
