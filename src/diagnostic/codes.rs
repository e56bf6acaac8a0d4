//! Explanations of every diagnostic code.
