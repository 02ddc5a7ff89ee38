namespace Coordinator.Callbacks.Monitoring;

/// <summary>
/// Resolves <c>mode = auto</c> the way Keras 3 does (<c>MonitorCallback._set_monitor_op</c>): strip one
/// <c>val_</c> prefix; <c>loss</c> means min; otherwise the direction of the model's metric of that name
/// (its <c>_direction</c>). The run's model declares its metrics with their directions; where no model
/// declares any (<c>simulate</c>), or for a name the model does not report, the names Keras's built-in
/// metrics use stand in for metric objects. A metric without a direction, or a name none of these
/// knows, is a configuration error, as Keras's ValueError ("set mode = min or mode = max").
/// </summary>
public static class MetricDirections
{
    private static readonly HashSet<string> Up = new(StringComparer.Ordinal)
    {
        "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
        "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
        "auc", "prc", "precision", "recall", "f1_score", "fbeta_score",
        "precision_at_recall", "recall_at_precision", "sensitivity_at_specificity",
        "specificity_at_sensitivity", "true_positives", "true_negatives",
        "iou", "mean_iou", "binary_iou", "one_hot_iou", "one_hot_mean_iou",
        "r2_score", "cosine_similarity", "pearson_correlation", "concordance_correlation",
    };

    private static readonly HashSet<string> Down = new(StringComparer.Ordinal)
    {
        "loss", "mse", "mae", "mape", "msle", "rmse",
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "root_mean_squared_error", "log_cosh_error", "logcosh",
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
        "binary_focal_crossentropy", "categorical_focal_crossentropy",
        "kl_divergence", "kld", "kullback_leibler_divergence", "poisson",
        "hinge", "squared_hinge", "categorical_hinge", "false_positives", "false_negatives",
    };

    /// <summary>The direction for <paramref name="monitor"/> under <paramref name="mode"/>.</summary>
    /// <exception cref="CallbackConfigurationException">auto mode and a name of unknown direction.</exception>
    /// <param name="declared">The model's metrics and their directions (null: one it does not declare).</param>
    public static Direction Resolve(string callback, string monitor, MonitorMode mode,
        IReadOnlyDictionary<string, Direction?>? declared = null)
    {
        switch (mode)
        {
            case MonitorMode.Min: return Direction.Minimize;
            case MonitorMode.Max: return Direction.Maximize;
        }

        var name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor["val_".Length..] : monitor;
        if (name == "loss") return Direction.Minimize;
        if (declared is not null && declared.TryGetValue(name, out var direction))
            return direction ?? throw new CallbackConfigurationException(
                callback, "mode", "auto",
                $"the model's metric '{name}' does not say whether it should be minimized or maximized; " +
                "set mode = min or mode = max explicitly");
        if (Up.Contains(name)) return Direction.Maximize;
        if (Down.Contains(name)) return Direction.Minimize;
        throw new CallbackConfigurationException(
            callback, "mode", "auto",
            $"cannot tell whether monitor '{monitor}' should be minimized or maximized; " +
            "set mode = min or mode = max explicitly");
    }
}
