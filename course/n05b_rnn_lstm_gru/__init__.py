"""Notebook 05b_rnn_lstm_gru: RNN, LSTM and GRU cells in numpy (``recurrent``); the sequence
tasks (``sequences``); the Keras regressors (``keras_models``); plots (``plots``); an LSTM
step and backprop through time (``tasks``).
"""
