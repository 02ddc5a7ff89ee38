using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Coordinator.Configuration;

/// <summary>
/// A configuration's settings as <c>key = value</c> lines (<c>model.hidden = [16]</c>, <c>callbacks = [...]</c>):
/// what a run records when it starts, so that a resume can name the setting that changed, whatever
/// else (comments, layout, a value written twice) changed in the text.
/// </summary>
public static class ConfigSettings
{
    public static SortedDictionary<string, string> Flatten(string text)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(ConfigurationFactory.ParseString(text).Root.GetObject(), "", settings);
        return settings;
    }

    private static void Add(HoconObject node, string prefix, SortedDictionary<string, string> settings)
    {
        foreach (var (key, value) in node.Items)
        {
            var path = prefix + key;
            if (value.IsObject()) Add(value.GetObject(), path + ".", settings);
            else settings[path] = Show(value);
        }
    }

    // Lists (the callbacks among them) as one value, written the same way whatever their layout was.
    private static string Show(HoconValue value) =>
        value.IsArray() ? "[" + string.Join(", ", value.GetArray().Select(Show)) + "]"
        : value.IsObject() ? "{" + string.Join(", ", value.GetObject().Items.Select(kv => $"{kv.Key} = {Show(kv.Value)}")) + "}"
        : value.IsString() ? value.GetString() ?? "null"
        : value.ToString();
}
