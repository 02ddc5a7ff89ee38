namespace Coordinator.Configuration.Tests;

/// <summary>
/// Text that is not HOCON is an error naming the file and the line, never a configuration Akka's parser
/// made something of (it accepts an unclosed '{', a line of words, '[section]'; an unclosed '[' hangs it).
/// </summary>
public sealed class HoconSyntaxTests
{
    private const string Valid = "data { path = \"d.csv\" }\n";

    [Theory]
    [InlineData("data { path = \"d.csv\" }\nmodel {\n", 2, "the '{' opened on line 2 is never closed")]
    [InlineData("data { path = \"d.csv\" }\nmodel { hidden = [64, 32\n}\n", 3, "'}' inside the list opened with '[' on line 2")]
    [InlineData("data { path = \"d.csv\" }\nmodel { hidden = [64, 32\n", 2, "the '[' opened on line 2 is never closed")]
    [InlineData("data { path = \"d.csv }\n", 1, "a quoted string is not closed on its line")]
    [InlineData("data { path = \"d.csv\" }\n}\n", 2, "'}' closes nothing")]
    [InlineData("this is : not { hocon [", 1, "'hocon' is not followed by '=', ':' or '{'")]
    [InlineData("just some words\nmore words\n", 1, "'just some words' is not followed by '=', ':' or '{'")]
    [InlineData("[section]\nkey=value\n", 1, "'[' where a setting (key = value) should start")]
    [InlineData("<xml>hi</xml>\n", 1, "'<xml>hi</xml>' is not followed by '=', ':' or '{'")]
    [InlineData("include \"nothere.conf\"\n" + Valid, 1, "include \"nothere.conf\": includes are not supported")]
    [InlineData("data { path = }\n", 1, "a value is missing")]
    [InlineData("data { path = \"d.csv\" } x\n", 1, "'x' after the value of 'data'")]
    public void Text_that_is_not_HOCON_names_the_file_and_the_line(string text, int line, string problem)
    {
        var e = Assert.Throws<ConfigurationError>(() => HoconText.Parse(text, "/x/run.conf"));
        Assert.StartsWith($"/x/run.conf: line {line}: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.EndsWith("(not valid HOCON)", e.Message);
    }

    [Theory]
    [InlineData("a = 1\nb { c = [1, 2, 3], d = \"x}\" }\n")]
    [InlineData("{ \"a\": 1, \"b\": [ { \"c\": \"d\" } ] }")]
    [InlineData("a = \"\"\"multi\nline { [ \"\"\"\nb = 2 # a comment with { [\n// another }\n")]
    [InlineData("a.b.c = 1\na.b.d += 2\nx = ${a.b.c}\n")]
    [InlineData("callbacks = [\n  { type = early-stopping, monitor = val_loss }\n  { type = terminate-on-nan }\n]\n")]
    public void HOCON_that_is_valid_parses(string text) => HoconText.Parse(text, "t.conf");

    [Fact]
    public void An_unresolved_substitution_is_an_error_naming_the_file()
    {
        var e = Assert.Throws<ConfigurationError>(() => HoconText.Parse("a = ${nope}\n", "t.conf"));
        Assert.StartsWith("t.conf: ", e.Message);
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void The_shipped_configurations_are_valid()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "hocon"), "*.conf"))
            HoconText.Parse(File.ReadAllText(file), file);
    }
}
