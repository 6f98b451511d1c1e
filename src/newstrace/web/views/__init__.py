"""One module per page type; each holds its HTML page(s) and the JSON API behind them."""
