using Drip.Delivery;

namespace Drip.UnitTests;

public sealed class ArchitectureTests
{
    [Fact]
    public void Engine_has_no_web_dependency()
    {
        var references = typeof(Dispatcher).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.Contains(references, r => r == "MailKit");
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Rendering_and_planning_do_not_reach_into_storage_or_delivery()
    {
        var engine = typeof(Dispatcher).Assembly.GetTypes();
        var pure = engine.Where(t => t.Namespace is "Drip.Rendering" or "Drip.Letters").ToList();
        Assert.NotEmpty(pure);
        foreach (var type in pure)
        {
            var used = type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
                .Select(f => f.FieldType.Namespace)
                .Concat(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType.Namespace));
            Assert.DoesNotContain(used, ns => ns is "Drip.Storage" or "Drip.Delivery" or "Drip.Outbox");
        }
    }
}
