using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// Finds a controller's views by name in its feature's folder, whatever the controller is called: the feature is the
/// namespace segment after <c>MicipPlanner.Web.Features</c> (<c>Features.Security.TwoFactorController</c> → Features/Security).
/// View location formats name the folder with <see cref="FeatureToken"/>; a location with the token is dropped when the
/// action belongs to no feature.
/// </summary>
public sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    public const string FeatureToken = "{feature}";
    private const string FeatureKey = "feature";
    private const string FeaturesNamespace = "MicipPlanner.Web.Features.";

    // The view engine caches found locations by these values, so two features' views of one name stay apart.
    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (FeatureOf(context.ActionContext.ActionDescriptor) is { } feature) context.Values[FeatureKey] = feature;
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        var feature = context.Values.TryGetValue(FeatureKey, out var value) ? value : null;
        foreach (var location in viewLocations)
        {
            if (!location.Contains(FeatureToken, StringComparison.Ordinal)) yield return location;
            else if (feature is not null) yield return location.Replace(FeatureToken, feature, StringComparison.Ordinal);
        }
    }

    public static string? FeatureOf(ActionDescriptor action) =>
        action is ControllerActionDescriptor controller ? FeatureOf(controller.ControllerTypeInfo.Namespace) : null;

    public static string? FeatureOf(string? @namespace)
    {
        if (@namespace is null || !@namespace.StartsWith(FeaturesNamespace, StringComparison.Ordinal)) return null;
        var rest = @namespace[FeaturesNamespace.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
