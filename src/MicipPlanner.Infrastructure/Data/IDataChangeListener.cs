namespace MicipPlanner.Infrastructure.Data;

/// <summary>
/// Told, once a transaction has committed, which districts' data versions it raised and which records it added, changed
/// or deleted: the live updates send those districts' screens the news, and tell a workshop seat only of what its page
/// shows. Called on the saving request's thread, so an implementation only queues the work.
/// </summary>
public interface IDataChangeListener
{
    void Committed(IReadOnlyCollection<int> districtIds, IReadOnlyCollection<object> records);
}

public sealed class NoDataChangeListener : IDataChangeListener
{
    public void Committed(IReadOnlyCollection<int> districtIds, IReadOnlyCollection<object> records) { }
}
