using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MicipPlanner.Infrastructure.Identity;

/// <summary>
/// The name a record's author, owner or reviewer is shown by: the one lookup of an account's display name, whether on
/// its own or inside a page's query.
/// </summary>
public static class UserNames
{
    /// <summary>The display name of the account, or null when there is none (a removed account, no id).</summary>
    public static Task<string?> DisplayNameAsync(this IQueryable<AppUser> users, string? userId, CancellationToken cancellationToken = default) =>
        ByName(users, userId).FirstOrDefaultAsync(cancellationToken);

    /// <inheritdoc cref="DisplayNameAsync"/>
    public static string? DisplayName(this IQueryable<AppUser> users, string? userId) => ByName(users, userId).FirstOrDefault();

    /// <summary>
    /// Inside a query only (<c>db.Users.NameOf(r.UpdatedByUserId)</c>): the display name of the account, or null. The
    /// query is given the lookup as a correlated subquery by <see cref="Expander"/> before EF Core translates it.
    /// </summary>
    public static string? NameOf(this IQueryable<AppUser> users, string? userId) =>
        throw new InvalidOperationException($"{nameof(NameOf)} runs only inside a query of a context with {nameof(UserNames)}.{nameof(Expander)}.");

    /// <summary>Writes each <see cref="NameOf"/> of a query out as the lookup it stands for; added to the app's contexts.</summary>
    public static readonly IQueryExpressionInterceptor Expander = new NameOfExpander();

    private static IQueryable<string> ByName(IQueryable<AppUser> users, string? userId) =>
        users.Where(u => u.Id == userId).Select(u => u.DisplayName);

    private static readonly MethodInfo NameOfMethod = typeof(UserNames).GetMethod(nameof(NameOf))!;

    private sealed class NameOfExpander : ExpressionVisitor, IQueryExpressionInterceptor
    {
        public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) => Visit(queryExpression);

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method != NameOfMethod) return base.VisitMethodCall(node);
            var users = Visit(node.Arguments[0]);
            var userId = Visit(node.Arguments[1]);
            var user = Expression.Parameter(typeof(AppUser), "u");
            var sameId = Expression.Lambda<Func<AppUser, bool>>(
                Expression.Equal(Expression.Property(user, nameof(AppUser.Id)), userId), user);
            var name = Expression.Lambda<Func<AppUser, string>>(Expression.Property(user, nameof(AppUser.DisplayName)), user);
            var where = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(AppUser)], users, Expression.Quote(sameId));
            var select = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(AppUser), typeof(string)], where, Expression.Quote(name));
            return Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(string)], select);
        }
    }
}
