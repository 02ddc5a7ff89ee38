namespace Coordinator.Actors.Protocol;

/// <summary>Every message and event of the coordinator: bound to <c>CoordinatorSerializer</c>.</summary>
public interface ICoordinatorMessage;
