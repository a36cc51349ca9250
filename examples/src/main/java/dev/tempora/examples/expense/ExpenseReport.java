package dev.tempora.examples.expense;

/** An expense an employee submits for approval. */
public record ExpenseReport(String expenseId, String employee, long amountCents, String description) {}
