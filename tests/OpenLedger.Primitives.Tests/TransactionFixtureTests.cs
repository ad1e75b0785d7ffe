using OpenLedger.Primitives.Forks;
using OpenLedger.Primitives.Transactions;
using Xunit.Abstractions;

namespace OpenLedger.Primitives.Tests;

public class TransactionFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in TransactionFixtureRunner.Files()) data.Add(Path.GetRelativePath(TransactionFixtureRunner.Root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Cancun_expectations_hold(string file)
    {
        var failures = TransactionFixtureRunner.Load(Path.Combine(TransactionFixtureRunner.Root, file))
            .Where(e => e.Fork == "Cancun")
            .Select(e => (e, why: TransactionFixtureRunner.Mismatch(e)))
            .Where(x => x.why is not null)
            .Select(x => $"{x.e.Test}: {x.why}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_fork_passes_and_the_suite_is_complete()
    {
        var all = TransactionFixtureRunner.Files().SelectMany(TransactionFixtureRunner.Load).ToList();
        var failures = new List<string>();
        foreach (var group in all.GroupBy(e => e.Fork).OrderBy(g => (int)ForkSpec.ByName(g.Key)!.Fork))
        {
            int passed = 0, valid = 0;
            foreach (var e in group)
            {
                var why = TransactionFixtureRunner.Mismatch(e);
                if (why is null) passed++;
                else failures.Add($"{e.Fork} {e.File} {e.Test}: {why}");
                if (e.Exception is null) valid++;
            }
            output.WriteLine($"{group.Key,-18} {passed,4}/{group.Count(),-4} passed ({valid} valid, {group.Count() - valid} invalid expectations)");
        }
        foreach (var f in failures) output.WriteLine(f);
        Assert.Equal(149, all.Count(e => e.Fork == "Cancun")); // the fixture set is the one described in SOURCE.txt
        Assert.True(failures.Count == 0, $"{failures.Count} fork expectations failed:\n" + string.Join("\n", failures.Take(50)));
    }
}
