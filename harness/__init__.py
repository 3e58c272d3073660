"""Real servers and services for the tests and the evaluations: started, waited for, stopped."""
