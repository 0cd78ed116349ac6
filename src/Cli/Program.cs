// cci: the command line over CompassCi.Client (built out in issue 16).
return 0;
