using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// What a script (the autosaves of the rubric, the participant page and the Maintaining Balance template) reads when a
/// save is refused for another reason than its fields: RFC 9457 problem details made by the framework's
/// <see cref="ProblemDetailsFactory"/>, with <c>title</c> and <c>detail</c> for people and the facts the script acts on
/// (<c>conflict</c>, <c>locked</c>, the stored version, the other person's save) as extra members. Refused fields are
/// answered by the framework's own validation problem (<see cref="ControllerBase.ValidationProblem()"/>).
/// </summary>
public static class SaveProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>A refusal with <paramref name="status"/> (409 for a conflict) and the facts the script needs.</summary>
    public static ObjectResult Refused(this ControllerBase controller, int status, string title, string detail,
        params (string Name, object? Value)[] facts)
    {
        var problem = controller.ProblemDetailsFactory.CreateProblemDetails(controller.HttpContext, status, title, detail: detail);
        foreach (var (name, value) in facts) problem.Extensions[name] = value;
        return Answer(problem);
    }

    private static ObjectResult Answer(ProblemDetails problem) =>
        new(problem) { StatusCode = problem.Status, ContentTypes = { ContentType } };
}
