using System.Globalization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// The solver options a strategy may set: an allowlist of algorithmic options (termination, barrier,
/// line search, scaling, Hessian approximation, warm start, the linear solver compiled in), some with caps.
/// </summary>
/// <remarks>
/// Every other option is refused, on purpose including the valid ones: IPOPT's file, print and
/// documentation options (<c>output_file</c>, <c>option_file_name</c>, <c>print_level</c>,
/// <c>file_print_level</c>, <c>print_user_options</c>, <c>print_options_documentation</c>, ...) read or
/// write files and stdout, and the derivative checker is the command line's <c>--check-derivatives</c>.
/// A strategy arrives over an unauthenticated API, so a validity check alone is not enough.
/// </remarks>
public static class SolverOptionPolicy
{
    /// <summary>Largest <c>max_iter</c> a strategy may ask for.</summary>
    public const int MaxIterations = 3000;

    /// <summary>Largest <c>max_cpu_time</c> in seconds a strategy may ask for; the solve deadline applies as well.</summary>
    public const int MaxCpuSeconds = 600;

    private static readonly string[] Free =
    [
        // termination
        "tol", "dual_inf_tol", "constr_viol_tol", "compl_inf_tol", "acceptable_tol", "acceptable_dual_inf_tol",
        "acceptable_constr_viol_tol", "acceptable_compl_inf_tol", "acceptable_obj_change_tol", "diverging_iterates_tol",
        // the problem as IPOPT sees it
        "bound_relax_factor", "honor_original_bounds", "fixed_variable_treatment", "jac_c_constant", "jac_d_constant",
        "hessian_constant", "kappa_d", "check_derivatives_for_naninf",
        // initialisation
        "bound_push", "bound_frac", "slack_bound_push", "slack_bound_frac", "constr_mult_init_max", "bound_mult_init_val",
        "bound_mult_init_method", "least_square_init_primal", "least_square_init_duals",
        // scaling
        "obj_scaling_factor", "nlp_scaling_max_gradient", "nlp_scaling_obj_target_gradient",
        "nlp_scaling_constr_target_gradient", "nlp_scaling_min_value",
        // barrier parameter
        "mu_strategy", "mu_oracle", "mu_init", "mu_max", "mu_min", "mu_max_fact", "mu_target", "barrier_tol_factor",
        "mu_linear_decrease_factor", "mu_superlinear_decrease_power", "fixed_mu_oracle", "adaptive_mu_globalization",
        "mu_allow_fast_monotone_decrease", "tau_min", "quality_function_norm_type", "quality_function_centrality",
        "quality_function_balancing_term",
        // line search
        "alpha_for_y", "alpha_for_y_tol", "accept_every_trial_step", "corrector_type", "recalc_y", "recalc_y_feas_tol",
        "watchdog_shortened_iter_trigger", "skip_corr_if_neg_curv", "skip_corr_in_monotone_mode",
        // restoration phase
        "expect_infeasible_problem", "expect_infeasible_problem_ctol", "expect_infeasible_problem_ytol",
        "start_with_resto", "required_infeasibility_reduction", "evaluate_orig_obj_at_resto_trial",
        // warm start
        "warm_start_init_point", "warm_start_bound_push", "warm_start_bound_frac", "warm_start_slack_bound_push",
        "warm_start_slack_bound_frac", "warm_start_mult_bound_push", "warm_start_mult_init_max",
        // Hessian and linear algebra
        "hessian_approximation", "hessian_approximation_space", "limited_memory_update_type",
        "limited_memory_initialization", "limited_memory_init_val", "limited_memory_max_skipping",
        "mumps_pivtol", "mumps_pivtolmax", "mumps_permuting_scaling", "mumps_pivot_order", "mumps_scaling",
        "mumps_dep_tol", "residual_ratio_max", "residual_ratio_singular", "residual_improvement_factor",
        "neg_curv_test_tol", "perturb_always_cd", "max_hessian_perturbation", "min_hessian_perturbation",
        "first_hessian_perturbation", "perturb_inc_fact_first", "perturb_inc_fact", "perturb_dec_fact",
        "jacobian_regularization_value", "jacobian_regularization_exponent",
    ];

    // Options that bound work or memory, with the largest value allowed.
    private static readonly Dictionary<string, double> Capped = new(StringComparer.Ordinal)
    {
        ["max_iter"] = MaxIterations,
        ["max_cpu_time"] = MaxCpuSeconds,
        ["acceptable_iter"] = 1000,
        ["max_soc"] = 50,
        ["watchdog_trial_iter_max"] = 100,
        ["accept_after_max_steps"] = 100,
        ["quality_function_max_section_steps"] = 100,
        ["limited_memory_max_history"] = 100,
        ["min_refinement_steps"] = 50,
        ["max_refinement_steps"] = 50,
        ["mumps_mem_percent"] = 2000,
    };

    // String options whose other values load a library (the HSL solvers, MC19 scaling) or need callbacks we do not give.
    private static readonly Dictionary<string, string[]> Restricted = new(StringComparer.Ordinal)
    {
        ["linear_solver"] = ["mumps"],
        ["linear_system_scaling"] = ["none"],
        ["nlp_scaling_method"] = ["none", "gradient-based"],
    };

    private static readonly HashSet<string> FreeNames = [.. Free];

    /// <summary>The names a strategy may set, sorted, for messages and documentation.</summary>
    public static IReadOnlyList<string> AllowedNames { get; } =
        [.. Free.Concat(Capped.Keys).Concat(Restricted.Keys).Order(StringComparer.Ordinal)];

    /// <summary>Why the option may not be set, or null when it may (the solver still checks the value itself).</summary>
    public static string? Check(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (FreeNames.Contains(name))
        {
            return null;
        }

        if (Capped.TryGetValue(name, out var cap))
        {
            return value is int or double && Convert.ToDouble(value, CultureInfo.InvariantCulture) is var number && number >= 0 && number <= cap
                ? null
                : $"'{name}' must be a number from 0 to {cap.ToString(CultureInfo.InvariantCulture)}";
        }

        if (Restricted.TryGetValue(name, out var values))
        {
            return value is string text && values.Contains(text, StringComparer.Ordinal)
                ? null
                : $"'{name}' may only be {string.Join(" or ", values.Select(v => $"'{v}'"))}";
        }

        return Refusal(name);
    }

    private static string Refusal(string name)
    {
        var why = name.Contains("print", StringComparison.Ordinal) || name.Contains("file", StringComparison.Ordinal) || name is "sb" or "inf_pr_output"
            ? "it reads or writes files or prints"
            : name.StartsWith("derivative_test", StringComparison.Ordinal)
                ? "the derivative checker is the command line's --check-derivatives"
                : "it is not one of the algorithmic options a strategy may set";
        return $"'{Echo.Short(name)}' is not allowed: {why} (see the README for the allowed options)";
    }
}
