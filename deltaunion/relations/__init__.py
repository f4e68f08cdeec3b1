"""Labour relations across the region (劳动关系, issue 15): early-warning signals shared between
federations, cases between unions (disputes, legal aid in another province, unpaid wages) with
referrals and transfers, deadlines in working days, the prevention measures of building projects,
and the joint situation report (会商研判). See README.md."""
