namespace MicipPlanner.Infrastructure.Data;

/// <summary>
/// Told, once a transaction has committed, which districts' data versions it raised: the live updates send those
/// districts' screens the news. Called on the saving request's thread, so an implementation only queues the work.
/// </summary>
public interface IDataChangeListener
{
    void Committed(IReadOnlyCollection<int> districtIds);
}

public sealed class NoDataChangeListener : IDataChangeListener
{
    public void Committed(IReadOnlyCollection<int> districtIds) { }
}
