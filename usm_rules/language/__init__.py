"""What a text says, in the language it is written in: detection, the lexicons (data files under
lexicons/), the lemmatisers behind them, and the reader that answers the language checks (is
this title a bare verb? does this text name a role, a tool, a condition?)."""
