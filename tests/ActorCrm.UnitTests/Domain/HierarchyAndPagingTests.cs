using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Validation;

namespace ActorCrm.UnitTests.Domain;

public class HierarchyRulesTests
{
    [Fact]
    public void Moving_under_an_unrelated_account_is_allowed() =>
        HierarchyRules.CheckReparent("unit-1", "bureau-2", ["hq-2"]);

    [Fact]
    public void Moving_under_itself_is_a_cycle()
    {
        var error = Assert.Throws<CrmException>(() => HierarchyRules.CheckReparent("hq", "hq", []));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
    }

    [Fact]
    public void Moving_under_a_descendant_is_a_cycle()
    {
        // hq → bureau → unit; moving hq under unit: unit's ancestors are bureau, hq.
        var error = Assert.Throws<CrmException>(() => HierarchyRules.CheckReparent("hq", "unit", ["bureau", "hq"]));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void Hierarchies_deeper_than_the_limit_are_refused()
    {
        var ancestors = Enumerable.Range(0, Limits.HierarchyDepth).Select(i => $"a{i}").ToArray();
        Assert.Throws<CrmException>(() => HierarchyRules.CheckReparent("x", "p", ancestors));
    }
}

public class PagingTests
{
    [Theory]
    [InlineData("acct-000123")]
    [InlineData("638712345678|visit-1")]
    public void Tokens_round_trip(string key) => Assert.Equal(key, Paging.Decode(Paging.Encode(key)));

    [Fact]
    public void Empty_token_means_first_page() => Assert.Equal("", Paging.Decode(""));

    [Theory]
    [InlineData("not a token!")]
    [InlineData("Zm9v")]
    public void Foreign_tokens_are_invalid_argument(string token)
    {
        var error = Assert.Throws<CrmException>(() => Paging.Decode(token));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("page_token", error.Violations[0].Field);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 1)]
    [InlineData(1000, 1000)]
    public void Page_sizes(int requested, int expected) => Assert.Equal(expected, Paging.PageSize(requested));

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Page_sizes_out_of_range_are_refused(int requested) =>
        Assert.Equal("page_size", Assert.Throws<CrmException>(() => Paging.PageSize(requested)).Violations[0].Field);
}
