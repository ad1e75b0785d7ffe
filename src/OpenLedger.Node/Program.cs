using OpenLedger.Node.Cli;

return CliApp.Run(args);
