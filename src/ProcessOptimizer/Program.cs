using ProcessOptimizer.Cli;

return await CommandDispatcher.RunAsync(args, Console.Out, Console.Error);
