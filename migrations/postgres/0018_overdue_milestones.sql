-- The open milestones (planned or in progress) by planned date: the dashboard counts those
-- already past their date and lists the most overdue, and /milestones/overdue pages through
-- them all, continuing after the last one seen. Partial, so it holds only the open ones (the
-- few a province has not closed), and a milestone leaves it when it is done or cancelled.
-- The other engine's file of the same number is the same schema.
CREATE INDEX milestone_open ON milestone (planned_date, id) WHERE status IN ('planned', 'in_progress');
