using System.Reflection;
using MicipPlanner.Web.Features.Security;
using MicipPlanner.Web.Mvc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Routing;

namespace MicipPlanner.Web.Tests;

/// <summary>A view named without its path is looked for in the folder of its controller's feature, then in Features/Shared.</summary>
public sealed class FeatureViewLocationTests
{
    private static readonly string[] Formats = ["/Features/" + FeatureViewLocationExpander.FeatureToken + "/{0}.cshtml", "/Features/Shared/{0}.cshtml"];

    [Fact]
    public void A_controller_whose_name_is_not_its_folder_finds_its_views_in_its_feature_then_shared()
    {
        var context = ContextFor(new ControllerActionDescriptor { ControllerTypeInfo = typeof(TwoFactorController).GetTypeInfo(), ControllerName = "TwoFactor" });
        var expander = new FeatureViewLocationExpander();

        expander.PopulateValues(context);

        // The value keys the view engine's cache: TwoFactor's "Index" and another feature's "Index" are found apart.
        Assert.Equal("Security", context.Values["feature"]);
        Assert.Equal(["/Features/Security/{0}.cshtml", "/Features/Shared/{0}.cshtml"], expander.ExpandViewLocations(context, Formats));
    }

    [Fact]
    public void An_action_of_no_feature_finds_only_the_shared_views()
    {
        var context = ContextFor(new ActionDescriptor());
        var expander = new FeatureViewLocationExpander();

        expander.PopulateValues(context);

        Assert.Empty(context.Values);
        Assert.Equal(["/Features/Shared/{0}.cshtml"], expander.ExpandViewLocations(context, Formats));
    }

    [Theory]
    [InlineData("MicipPlanner.Web.Features.Rubric", "Rubric")]
    [InlineData("MicipPlanner.Web.Features.Districts.Access", "Districts")]
    [InlineData("MicipPlanner.Web.Mvc", null)]
    [InlineData("MicipPlanner.Web.FeaturesElsewhere.Rubric", null)]
    [InlineData(null, null)]
    public void The_feature_is_the_namespace_segment_after_Features(string? @namespace, string? feature) =>
        Assert.Equal(feature, FeatureViewLocationExpander.FeatureOf(@namespace));

    private static ViewLocationExpanderContext ContextFor(ActionDescriptor action) =>
        new(new ActionContext(new DefaultHttpContext(), new RouteData(), action), "Index", controllerName: null, areaName: null, pageName: null, isMainPage: true)
        {
            Values = new Dictionary<string, string?>(),
        };
}
